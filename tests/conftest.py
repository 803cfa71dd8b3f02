import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from dialogues_portal.roles import EDITORS, PUBLISHERS, sync_roles


@pytest.fixture
def real_data(db):
    """The real records of fixtures/, as `make serve` loads them."""
    call_command("load_real_data", verbosity=0)


def _staff(username, *groups):
    sync_roles()
    user = get_user_model().objects.create_user(username, password="a-long-test-password", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(db):
    return _staff("editor", EDITORS)


@pytest.fixture
def publisher(db):
    return _staff("publisher", EDITORS, PUBLISHERS)


@pytest.fixture
def staff_without_permissions(db):
    return _staff("nobody")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers are slow on purpose; tests only need them to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached aggregates (dialogues/cache.py) would outlive the rows a test rolls back."""
    cache.clear()


@pytest.fixture(autouse=True)
def rendered_responses(settings):
    """Tests see pages and API lists as rendered, so that their query counts measure the rendering:
    the response cache in front of them (dialogues_portal/response_cache.py) is tested on its own
    (tests/portal/test_response_cache.py) and is on in the browser tests."""
    settings.PUBLIC_RESPONSE_CACHE = False


@pytest.fixture
def api():
    """An anonymous API client (the throttle's counts start empty: see empty_cache)."""
    from rest_framework.test import APIClient

    return APIClient()
