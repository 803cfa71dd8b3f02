"""Schemathesis against the API's own OpenAPI schema, inside the suite: no 5xx, no response that
breaks the schema. Bounded and deterministic (derandomized), so it takes the same time every run."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dialogues_portal.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Loaded once at collection: generating the schema reads no rows. (schemathesis.pytest.from_fixture
# would load it per test, but it relies on a pytest internal that pytest 9 removed.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# The coverage phase adds boundary cases beyond max_examples, unbounded; the fuzzing and explicit
# examples phases are enough here and keep the run's length fixed.
schema.config.phases.coverage.enabled = False
schema.config.seed = 20260101  # with derandomize: the same cases on every run


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


@schema.include(method="GET").parametrize()
@FUZZ
def test_reading_never_fails_and_conforms(case, real_data_shared):
    cache.clear()  # the anonymous rate limit would otherwise answer most examples with 429
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def publisher_token(publisher):
    return Token.objects.create(user=publisher).key


@schema.include(method=["POST", "PUT", "PATCH"]).parametrize()
@FUZZ
def test_writing_as_a_publisher_never_fails_and_conforms(case, publisher_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {publisher_token}"})
