"""Schemathesis against the API's own OpenAPI schema, inside the suite, with every check the
installed schemathesis offers: anonymous on every operation, and with an editor's token on every
operation, writes included. Bounded and deterministic (a fixed seed, derandomized), so it takes the
same time every run."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS
from schemathesis.specs.openapi import checks as openapi_checks  # registers the OpenAPI checks

from dialogues_portal.wsgi import application
from tests.factories import DRAFT, make_country, make_round

# Every check the installed schemathesis offers (only the generic ones are registered before the
# OpenAPI module is imported). use_after_free, ensure_resource_availability and
# object_level_authorization compare responses within a stateful scenario (links, not declared
# here): they run on every response and find nothing to compare.
CHECKS_ALL = CHECKS.get_all()
assert openapi_checks.positive_data_acceptance in CHECKS_ALL
FUZZ = settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Loaded once at collection: generating the schema reads no rows. (schemathesis.pytest.from_fixture
# would load it per test, but it relies on a pytest internal that pytest 9 removed.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
schema.config.seed = 20260101  # with derandomize: the same cases on every run
# The coverage phase makes every boundary case of every field (over a hundred per write, whatever
# max_examples says): beyond this run's time. It alone sends the methods a path does not declare
# (unsupported_method, allow_header_conformance): test_undeclared_methods_are_405_with_allow sends
# those. missing_required_header has nothing to send: no operation requires a header.
schema.config.phases.coverage.enabled = False
# Valid data by the schema may still be refused with a 400 at its field: the schema cannot say which
# identifiers exist (a country's code, a topic's slug, a source's id, in a filter or in a body) nor
# the rules that join fields (a round's end after its start), which the API checks as the admin does.
# A write's If-Match is well formed and still names another version of the record: 412.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "400",
    "412",
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Schemathesis calls the WSGI application directly, and Django's request signals would close
    the connection holding the test's transaction (on PostgreSQL). Django's own test client
    disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


OPERATIONS = [
    (path, method, operation)
    for path, item in schema.raw_schema["paths"].items()
    for method, operation in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
]


def test_reads_of_published_records_declare_anonymous_access_and_writes_do_not():
    for path, method, operation in OPERATIONS:
        anonymous = {} in operation.get("security", [{}])
        editors_only = path.startswith(("/api/v1/revisions/", "/api/v1/auth/token/"))
        obtaining_a_token = path == "/api/v1/auth/token/" and method == "post"
        expected = (method == "get" and not editors_only) or obtaining_a_token
        assert anonymous == expected, (method, path)


def test_every_operation_documents_the_errors_any_request_may_meet():
    for path, method, operation in OPERATIONS:
        responses = operation["responses"]
        assert {"400", "401", "414", "429", "503"} <= set(responses), (method, path)
        if "requestBody" in operation:
            assert {"413", "415"} <= set(responses), (method, path)
        for code, response in responses.items():
            if code >= "400" and code != "414":  # gunicorn's own, before the portal
                assert set(response["content"]) == {"application/json"}, (method, path, code)


def test_a_records_writes_declare_if_match_412_and_review_and_its_detail_an_etag():
    detail = schema.raw_schema["paths"]["/api/v1/projects/{id}/"]
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    for method in ("put", "patch", "delete"):
        assert "412" in detail[method]["responses"], method
        assert "If-Match" in [parameter["name"] for parameter in detail[method]["parameters"]], method
    for method in ("put", "patch"):
        assert "202" in detail[method]["responses"], method


UNEXPECTED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(schema.raw_schema["paths"]))
def test_undeclared_methods_are_405_with_allow(client, publisher, path):
    """What schemathesis' unsupported_method and allow_header_conformance check, for every path: a
    method the schema does not declare is a 405 with an Allow header, even for a user with every
    permission, and OPTIONS lists in Allow the methods the schema declares (with HEAD and OPTIONS)."""
    client.force_login(publisher)
    url = path.replace("{id}", "1").replace("{iso_code}", "KZ").replace("{slug}", "a-slug")
    declared = {method.upper() for method in schema.raw_schema["paths"][path]}
    for method in sorted(set(UNEXPECTED_METHODS) - declared):
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url, response.status_code)
        assert response.has_header("Allow"), (method, url)
    allowed = client.options(url)["Allow"].replace(" ", "").split(",")
    assert set(allowed) - {"HEAD", "OPTIONS"} == declared, url


def test_no_operation_requires_a_header():
    """missing_required_header leaves out a required header: there is none to leave out."""
    assert not [
        (method, path)
        for path, method, operation in OPERATIONS
        for parameter in operation.get("parameters", ())
        if parameter["in"] == "header" and parameter.get("required")
    ]


@pytest.mark.django_db
def test_a_round_in_a_draft_country_reads_country_null_as_its_schema_allows(client):
    country = make_country("KZ", publication_status=DRAFT)
    record = make_round(country=country)
    body = client.get(f"/api/v1/dialogue-rounds/{record.pk}/").json()
    assert body["country"] is None
    assert schema.raw_schema["components"]["schemas"]["DialogueRoundDetail"]["properties"]["country"]["nullable"]


@schema.parametrize()
@FUZZ
def test_anonymous(case, real_data_shared):
    """Every operation, writes too (a 401, documented), without credentials."""
    cache.clear()  # the anonymous rate limit would otherwise answer most examples with 429
    case.call_and_validate(checks=CHECKS_ALL)


@pytest.fixture
def editor_token(editor):
    return Token.objects.create(user=editor).key


@schema.parametrize()
@FUZZ
def test_editor(case, real_data_shared, editor_token):
    """Every operation as an Editor: writes of drafts go live, of published records wait for review
    (202), deletes are refused (403: Publishers delete)."""
    case.call_and_validate(checks=CHECKS_ALL, headers={"Authorization": f"Token {editor_token}"})
