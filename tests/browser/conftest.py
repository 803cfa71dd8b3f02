"""Playwright on the system Chromium against a live server holding the real data."""

import os

import pytest

from tests.conftest import load_real_data_dump

# Playwright runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def public_response_cache(settings):
    """As in production: visitors' pages are served from the response cache once rendered."""
    settings.PUBLIC_RESPONSE_CACHE = True


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture
def site(transactional_db, live_server, real_data_dump):
    """The real data, loaded for the live server (its database is flushed after each test)."""
    load_real_data_dump(real_data_dump)
    return live_server.url


@pytest.fixture
def screenshot(page):
    os.makedirs(ARTIFACTS, exist_ok=True)

    def take(name):
        page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)

    return take
