"""What every API endpoint shares: root, pagination, CORS, throttling, schema and documentation."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from dialogues.models import Source

RESOURCES = (
    "countries",
    "topics",
    "organisations",
    "sources",
    "dialogue-rounds",
    "seminars",
    "programmes",
    "calls",
    "projects",
)


@pytest.mark.django_db
def test_the_root_lists_every_resource_and_the_documentation(api):
    body = api.get("/api/v1/").json()
    for name in RESOURCES:
        assert body[name] == f"http://testserver/api/v1/{name}/"
    assert body["stats"] == "http://testserver/api/v1/stats/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert body["schema"] == "http://testserver/api/v1/schema/"


@pytest.mark.django_db
def test_the_root_is_browsable(api):
    response = api.get("/api/v1/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"<html" in response.content


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404(api):
    for path in ("/api/v1/nothing-here/", "/api/v1/calls/0.5/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


# --- Pagination ----------------------------------------------------------------------------------


@pytest.fixture
def many_sources(db):
    Source.objects.bulk_create(Source(title=f"Source {n:04}", publication_status="published") for n in range(510))


def test_a_listing_gives_50_records_by_default_with_links(api, many_sources):
    body = api.get("/api/v1/sources/").json()
    assert body["count"] == 510
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/sources/?page=2"
    second = api.get(body["next"]).json()
    assert second["results"][0]["title"] == "Source 0050"


def test_page_size_goes_up_to_500(api, many_sources):
    assert len(api.get("/api/v1/sources/?page_size=120").json()["results"]) == 120
    assert len(api.get("/api/v1/sources/?page_size=5000").json()["results"]) == 500


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-1", "page_size=0", "page_size=x"])
def test_a_bad_page_parameter_is_a_400(api, many_sources, query):
    response = api.get(f"/api/v1/sources/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_a_page_past_the_end_is_a_404(api, many_sources):
    assert api.get("/api/v1/sources/?page=99").status_code == 404


# --- CORS: GET from any origin, nothing else ------------------------------------------------------


@pytest.mark.django_db
def test_any_origin_may_read(api):
    response = api.get("/api/v1/countries/", HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_no_origin_may_write(api, method):
    response = api.options(
        "/api/v1/countries/",
        HTTP_ORIGIN="https://data.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert method not in allowed
    assert allowed == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.django_db
def test_cors_is_limited_to_the_api(client):
    response = client.get("/en/", HTTP_ORIGIN="https://data.example.org")
    assert "Access-Control-Allow-Origin" not in response


# --- Throttling -----------------------------------------------------------------------------------


def test_anonymous_clients_are_throttled_by_configuration():
    (throttle,) = api_settings.DEFAULT_THROTTLE_CLASSES
    assert issubclass(throttle, AnonRateThrottle)
    assert api_settings.DEFAULT_THROTTLE_RATES["anon"] == "120/minute"


@pytest.mark.django_db
def test_too_many_anonymous_requests_get_a_429_with_retry_after(api, monkeypatch, editor):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [api.get("/api/v1/countries/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/countries/")
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0
    authenticated = APIClient()
    authenticated.force_authenticate(editor)
    assert authenticated.get("/api/v1/countries/").status_code == 200  # editors are not throttled


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(api, monkeypatch):
    # a direct deployment (no trusted proxy): each request claims another address
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [api.get("/api/v1/countries/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(1, 11)]
    assert statuses == [200] * 3 + [429] * 7


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_count_whatever_it_forges(api, monkeypatch, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})

    def get(client, forged):  # what the proxy passes on: the client's header, then the client's address
        return api.get(
            "/api/v1/countries/", REMOTE_ADDR="10.0.0.10", HTTP_X_FORWARDED_FOR=f"{forged}, {client}"
        ).status_code

    assert [get("198.51.100.1", f"203.0.113.{n}") for n in range(3)] == [200, 200, 429]
    assert get("198.51.100.2", "198.51.100.1") == 200  # another client, not the proxy's one count


# --- Schema and documentation -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.fixture
def openapi(api, db):
    return api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_every_operation_documents_its_errors(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if path.endswith("/auth/token/"):  # obtained with a password; seen or revoked by its owner
                expected = {"post": {"200", "400", "429"}, "get": {"200", "401", "404"}, "delete": {"204", "401"}}
                assert expected[method] <= codes, (method, path)
                continue
            assert {"401", "429"} <= codes, (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method == "get" and not path.endswith(("}/", "summary/", "stats/")):
                assert "400" in codes, (method, path)


def test_every_filter_is_documented(openapi):
    def names(path):
        return {p["name"] for p in openapi["paths"][path]["get"]["parameters"]}

    project_filters = {"country", "topic", "programme", "year_from", "year_to", "status", "min_amount", "max_amount"}
    assert project_filters | {"q", "ordering", "page", "page_size"} <= names("/api/v1/projects/")
    assert {"country", "topic", "year_from", "year_to", "kind", "q", "ordering"} <= names("/api/v1/seminars/")
    assert {"country", "topic", "year_from", "year_to", "format", "q", "ordering"} <= names("/api/v1/dialogue-rounds/")
    assert {"country", "programme", "year_from", "year_to", "min_amount", "max_amount"} <= names("/api/v1/calls/")


def test_the_schema_describes_the_policy_and_the_example_query(openapi):
    assert "Versions and deprecation" in openapi["info"]["description"]
    examples = openapi["paths"]["/api/v1/projects/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert any("programme=eidhr" in example["summary"] for example in examples["examples"].values())


@pytest.mark.django_db
def test_the_docs_page_loads_its_scripts_from_the_portal_under_the_csp(api):
    response = api.get("/api/v1/docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts, html
    for attributes, body in scripts:
        assert body.strip() == "", "no inline script: the CSP forbids it"
        source = re.search(r'src="([^"]+)"', attributes).group(1)
        assert source.startswith("/static/") or source.startswith("/api/v1/docs/?"), source
    for static in re.findall(r'(?:src|href)="/static/([^"?]+)"', html):
        assert finders.find(static), f"{static} is not served by the portal"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    # no inline style at all: Swagger UI's few rules and its accessible colours come from a file
    assert "<style" not in html and "style=" not in html
    assert 'href="/static/css/swagger-ui-overrides.css"' in html


@pytest.mark.django_db
def test_the_docs_script_initialises_swagger_ui_with_the_schema(api):
    response = api.get("/api/v1/docs/?script=", HTTP_ACCEPT="*/*")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert "SwaggerUIBundle(" in script
    assert "/api/v1/schema/" in script
