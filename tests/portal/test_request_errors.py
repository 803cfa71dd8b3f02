"""Hostile requests get a 4xx, never a 500, and under /api/ always the API's JSON error shape
(`{"detail": ...}`, dialogues/api/schema.py): NUL bytes and newlines in paths, JSON nested without
end, bodies over the upload limit, unknown paths, server errors, methods the portal never uses."""

import pytest
from django.test import Client

from dialogues_portal.api.views import StatsView
from dialogues_portal.api_urls import router
from tests.factories import make_country, make_topic

pytestmark = pytest.mark.django_db


def assert_api_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:200])
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    body = response.json()
    assert set(body) == {"detail"} and body["detail"], body


def assert_html_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]


@pytest.fixture
def records(db):
    make_country("KZ", slug="kazakhstan")
    make_topic(slug="rule-of-law")


API_NUL_PATHS = [
    "/api/v1/countries/%00/",
    "/api/v1/countries/KZ%00/",
    "/api/v1/topics/rule-of-law%00/",
    "/api/v1/countries/KZ%00/summary/",
    "/api/v1/programmes/%00/",
    "/api/v1/concerns/%00/",
]


@pytest.mark.parametrize("path", API_NUL_PATHS)
def test_a_nul_byte_in_an_api_path_is_a_json_404_never_a_500(records, path):
    # PostgreSQL refuses NUL in a query: these were 500s there
    assert_api_error(Client(raise_request_exception=False).get(path), 404)


def test_a_nul_byte_in_a_filter_is_a_field_error(records):
    response = Client(raise_request_exception=False).get("/api/v1/projects/?programme=%00")
    assert response.status_code == 400
    assert "programme" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/en/search/?q=%00",
        "/en/funding/projects/?q=%00",
        "/en/dialogues/?country=%00",
        "/api/v1/projects/?q=%00",
        "/api/v1/projects/?cursor=%00",
        "/api/v1/projects/?ordering=%00",
        "/api/v1/concerns/?as_of=%00",
    ],
)
def test_a_nul_byte_in_a_query_is_never_a_500(records, path):
    assert Client(raise_request_exception=False).get(path).status_code < 500


@pytest.mark.parametrize("path", ["/en/countries/%00/", "/en/topics/rule-of-law%00/", "/en/funding/programmes/%00/"])
def test_a_nul_byte_in_a_page_path_is_the_404_page(records, path):
    assert_html_error(Client(raise_request_exception=False).get(path), 404)


def _write_paths():
    """Every API path that reads a JSON body without a record to find first."""
    yield "/api/v1/auth/token/"
    for prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "create"):
            yield f"/api/v1/{prefix}/"


@pytest.mark.parametrize("path", list(_write_paths()))
@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,  # RecursionError in the decoder: a 500 before
        "[" * 900 + "]" * 900,  # valid, and just under Python's recursion limit
        '{"title": ' + "[" * 200 + "]" * 200 + "}",
    ],
    ids=["unclosed", "deep list", "deep field"],
)
def test_json_nested_without_end_is_a_400_on_every_write_path(client, editor, path, body):
    client.force_login(editor)
    response = client.post(path, data=body, content_type="application/json")
    assert_api_error(response, 400)
    assert "nested" in response.json()["detail"]


def test_json_nested_without_end_is_a_400_for_the_anonymous_token_request():
    response = Client(raise_request_exception=False).post(
        "/api/v1/auth/token/", data="[" * 100_000, content_type="application/json"
    )
    assert_api_error(response, 400)


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/projects/"])
def test_a_body_over_the_upload_limit_is_a_json_413(client, editor, path):
    client.force_login(editor)
    response = client.post(path, data=b"x" * (6 * 1024 * 1024), content_type="application/json")
    assert_api_error(response, 413)


def test_a_form_over_the_upload_limit_on_a_page_is_a_413(client):
    response = client.post(
        "/i18n/setlang/", data=b"x" * (6 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path", ["/api/v1/%0A", "/api/v1/countries/%0A/", "/api/v1/countries/KZ/%0A", "/api/v2/", "/api/no-such/"]
)
def test_an_unknown_or_malformed_api_path_is_a_json_404(records, path):
    assert_api_error(Client(raise_request_exception=False).get(path), 404)


def test_a_server_error_in_the_api_is_json(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(StatsView, "get", fail)
    assert_api_error(Client(raise_request_exception=False).get("/api/v1/stats/"), 500)


def test_a_server_error_on_a_page_is_the_500_page(monkeypatch):
    from dialogues_portal.views import countries

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(countries.CountryListView, "get", fail)
    assert_html_error(Client(raise_request_exception=False).get("/en/countries/"), 500)


EVERYWHERE = [
    "/en/",
    "/en/countries/kazakhstan/",
    "/en/feeds/latest/",
    "/en/countries/kazakhstan/feed/",
    "/en/feeds/status-changes/",
    "/sitemap.xml",
    "/robots.txt",
    "/en/funding/projects/export.csv",
    "/en/matrix/export.csv",
    "/static/css/portal.css",
    "/healthz",
    "/api/v1/",
    "/api/v1/projects/",
    "/api/v1/auth/token/",
    "/admin/",
    "/admin/login/",
    "/admin/funding/project/",
]


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "TRACK", "FOO"])
@pytest.mark.parametrize("path", EVERYWHERE)
def test_a_method_the_portal_never_uses_is_a_405_everywhere(records, editor, method, path):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    response = client.generic(method, path)
    assert response.status_code == 405, (method, path, response.status_code)
    assert "TRACE" not in response["Allow"]
    if path.startswith("/api/"):
        assert_api_error(response, 405)
