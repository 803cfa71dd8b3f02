"""Hardening: security headers on every kind of response, CSP without unsafe-inline, check --deploy,
brute-force lock-out, CSRF, no inline scripts or styles."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

RESPONSES = {
    "page": "/en/",
    "api": "/api/v1/",
    "static": "/static/css/portal.css",
    "not found": "/no-such-page/",
    "health": "/healthz",
}


@pytest.fixture
def production_headers(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True


@pytest.mark.parametrize("kind", RESPONSES)
def test_security_headers_on_every_kind_of_response(real_data_shared, production_headers, kind):
    response = Client().get(RESPONSES[kind], secure=True)
    assert response.status_code in (200, 404), response.status_code
    assert response.status_code == (404 if kind == "not found" else 200)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    # scripts and styles from the portal itself, plus this response's nonce when a page uses one
    assert re.search(r"script-src 'self'( 'nonce-[\w+/=-]+')?;", csp), csp
    assert not re.search(r"https?://", csp)  # no third-party origin
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(real_data_shared):
    for url in (
        "/en/",
        "/en/countries/kazakhstan/",
        "/en/funding/projects/",
        "/en/seminars/",
        "/en/dialogues/",
        "/admin/login/",
    ):
        html = Client().get(url).content.decode()
        assert not re.search(r"\sstyle=", html), url
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            # an element with content must carry the response's nonce or be an external file
            assert (
                "src=" in tag or "nonce=" in tag or "application/ld+json" in tag or 'type="application/json"' in tag
            ), (url, tag)


def test_templates_hold_no_inline_style_attributes():
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        assert not re.search(r"\sstyle=", template.read_text()), template


def test_production_settings_pass_check_deploy():
    # as a deployment would run it: without the test run's own variables (the browser tests allow
    # async-unsafe ORM calls, which check --deploy rightly refuses)
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.org",
        DJANGO_SETTINGS_MODULE="dialogues_portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_admin_login_locks_out_after_repeated_failures(editor, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "editor", "password": "a-long-test-password"})
    assert response.status_code == 429  # locked out even with the right password
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="editor").get().failures_since_start >= settings.AXES_FAILURE_LIMIT


def fail_logins(settings, username, address):
    client = Client(REMOTE_ADDR="10.0.0.10", HTTP_X_FORWARDED_FOR=address)  # behind the proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": username, "password": "wrong"})


def log_in(username, address):
    client = Client(REMOTE_ADDR="10.0.0.10", HTTP_X_FORWARDED_FOR=address)
    return client.post("/admin/login/", {"username": username, "password": "a-long-test-password"}).status_code


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_failures_from_one_client_do_not_lock_the_editor_out_elsewhere(behind_one_proxy, editor, settings):
    fail_logins(settings, "editor", "203.0.113.1")
    assert log_in("editor", "203.0.113.1") == 429
    assert log_in("editor", "198.51.100.2") == 302  # the same editor from another client


def test_failures_for_one_editor_do_not_lock_others_out_of_the_same_client(
    behind_one_proxy, editor, publisher, settings
):
    fail_logins(settings, "editor", "203.0.113.1")
    assert log_in("publisher", "203.0.113.1") == 302  # another editor, same client (or office)


def test_a_good_login_still_works_before_the_limit(editor):
    client = Client()
    client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "editor", "password": "a-long-test-password"})
    assert response.status_code == 302


def test_forms_need_a_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "a-long-test-password"})
    assert response.status_code == 403


def test_healthz_reports_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_request_log_lines_carry_no_personal_data(caplog, client, settings):
    import logging

    with caplog.at_level(logging.INFO, logger="dialogues_portal.requests"):
        client.get("/healthz?token=secret-value", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.7")
    (record,) = [r for r in caplog.records if r.name == "dialogues_portal.requests"]
    from dialogues_portal.request_log import JsonFormatter

    line = JsonFormatter().format(record)
    assert '"path": "/healthz"' in line and '"status": 200' in line
    for secret in ("secret-value", "203.0.113.9", "198.51.100.7"):
        assert secret not in line


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (0, "203.0.113.9", "198.51.100.7"),  # direct: the header is the client's own words
        (1, "", "198.51.100.7"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "192.0.2.1, 203.0.113.9", "203.0.113.9"),  # the left entry is forged
        (2, "192.0.2.1, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the left-most
        (1, "not-an-address", "198.51.100.7"),
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(settings, rf, proxies, forwarded, client):
    from dialogues_portal.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client
