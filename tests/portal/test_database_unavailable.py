"""With the database down: a 503 with Retry-After and a clear page (JSON under /api/), never a 500;
an export fails before it starts rather than sending a header and no rows."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from ..factories import make_country, make_round

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """Every cursor fails to open, as when PostgreSQL has stopped (connecting, or the health check
    of a kept connection, raises)."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused: is the server running?")

    wrapper = connections["default"]
    with mock.patch.object(wrapper, "cursor", refuse), mock.patch.object(wrapper, "chunked_cursor", refuse):
        yield


@pytest.fixture
def a_round(db):
    return make_round(country=make_country("KZ", name="Kazakhstan", slug="kazakhstan"))


@pytest.mark.parametrize("url", ["/en/", "/en/dialogues/", "/en/funding/projects/", "/en/countries/kazakhstan/"])
def test_a_page_is_a_503_with_a_clear_page(a_round, url):
    with database_down():
        response = Client().get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"  # the other middleware still saw it


@pytest.mark.parametrize("url", ["/api/v1/countries/", "/api/v1/dialogue-rounds/", "/api/v1/stats/"])
def test_an_api_request_is_a_503_in_the_apis_error_shape(a_round, api, url):
    with database_down():
        response = api.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert set(response.json()) == {"detail"}


def test_an_editors_page_is_a_503_when_even_the_session_cannot_be_read(a_round, editor_client):
    # the session and the account are read by a middleware, before any view runs
    editor_client.raise_request_exception = False  # as a server: the error is a response
    with database_down():
        response = editor_client.get("/en/dialogues/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "Temporarily unavailable" in response.content.decode()
    assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.parametrize(
    "url", ["/en/dialogues/export.csv", "/en/dialogues/export.json", "/en/funding/projects/export.csv"]
)
def test_an_export_fails_before_it_starts_streaming(a_round, url):
    with database_down():
        response = Client().get(url)
    assert response.status_code == 503
    assert not response.streaming


def test_an_export_still_streams_every_row_when_the_database_answers(a_round):
    response = Client().get("/en/dialogues/export.csv")
    assert response.status_code == 200 and response.streaming
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith(str(a_round.pk))


def test_the_page_speaks_the_visitors_language(a_round):
    with database_down():
        response = Client(headers={"accept-language": "ru"}).get("/ru/dialogues/")
    assert response.status_code == 503
    assert "Временно недоступно" in response.content.decode()
