import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from dialogues_portal.roles import EDITORS, PUBLISHERS, sync_roles


def real_data_models():
    """Every content model (not the histories): what a dump of the real data holds."""
    return [
        model._meta.label
        for app in ("dialogues", "seminars", "funding")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


@pytest.fixture(scope="session")
def real_data_dump(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real records as `load_real_data` leaves them, dumped once per session: a test loads the
    dump in about two seconds, where the loader, validating every record, takes ten."""
    path = tmp_path_factory.mktemp("real-data") / "real-data.json"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_real_data", verbosity=0)
        call_command("dumpdata", *real_data_models(), natural_foreign=True, output=str(path), verbosity=0)
        transaction.set_rollback(True)
    return path


def load_real_data_dump(path):
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(path), verbosity=0)


@pytest.fixture
def real_data(db, real_data_dump):
    """The real records of fixtures/, as `make serve` loads them (from the session's dump)."""
    load_real_data_dump(real_data_dump)


@pytest.fixture(scope="module")
def real_data_module(django_db_setup, django_db_blocker, real_data_dump):
    """The real records loaded once for a module, in a transaction rolled back at its end (loading
    them for each test was most of the suite's time). Tests ask for `real_data_shared`."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        load_real_data_dump(real_data_dump)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def real_data_shared(real_data_module, db):
    """The real records, shared by the module's tests: each test runs in its own savepoint (`db`),
    so what it writes is gone for the next. Not for transactional tests (a live server, a flush, a
    subprocess): they would find the records uncommitted; they keep `real_data`."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Within each module, the tests on `real_data_shared` run after the others: the records stay
    loaded from the first test that asks for them to the module's end, and the others expect an
    empty database."""
    modules = {}
    for item in items:
        modules.setdefault(item.path, len(modules))
    items.sort(key=lambda item: (modules[item.path], "real_data_module" in getattr(item, "fixturenames", ())))


STAFF_PASSWORD = "a-long-test-password"


def make_staff(username, *groups):
    sync_roles()
    user = get_user_model().objects.create_user(username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(db):
    return make_staff("editor", EDITORS)


@pytest.fixture
def publisher(db):
    return make_staff("publisher", EDITORS, PUBLISHERS)


@pytest.fixture
def staff_without_permissions(db):
    return make_staff("nobody")


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
def english_at_the_start():
    """Each test starts in English: a request leaves its page's language active in the thread, and
    `Topic(name=...)` writes the active language's column (django-modeltranslation)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture
def kazakhstan(db):
    from tests.factories import make_country

    return make_country("KZ", name="Kazakhstan", slug="kazakhstan")


@pytest.fixture
def kyrgyzstan(db):
    from tests.factories import make_country

    return make_country("KG", name="Kyrgyz Republic", slug="kyrgyz-republic")


@pytest.fixture
def django_assert_max_num_queries(db, django_assert_max_num_queries):
    """pytest-django's, with Django's content-type cache warm: a record's citations (a generic
    relation) read their content type once per process, then never again, so whether that one
    query falls inside a test's count would depend on which test a worker ran first."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
    return django_assert_max_num_queries


@pytest.fixture
def seeded_sectors(db):
    """The DAC sectors migration funding 0013 writes, with the Russian names 0019 gives them. A
    transactional test earlier on the same worker (its flush empties every table) deletes them,
    so a test that reads them asks for them."""
    import importlib

    importlib.import_module("funding.migrations.0013_sector_topics_seed").seed(apps, None)
    importlib.import_module("funding.migrations.0019_sector_names_in_russian_seed").fill(apps, None)
