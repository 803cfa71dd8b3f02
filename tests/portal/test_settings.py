"""Settings come from the environment; production refuses unsafe or malformed values."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

# the variables these tests set: the ones of the environment running the suite must not leak in
PORTAL_VARIABLES = (
    *("DATABASE_URL", "DJANGO_ENV", "SECRET_KEY", "DEBUG"),
    *("API_ANON_RATE", "REDIS_URL", "PUBLIC_RESPONSE_CACHE", "TRUSTED_PROXY_COUNT"),
    "API_TOKEN_LIFETIME_DAYS",
)


def run_with(show="settings.DEBUG", **env):
    """A fresh process with the settings of `env`; it prints the setting `show`."""
    clean = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    clean.update(env, DJANGO_SETTINGS_MODULE="dialogues_portal.settings")
    command = [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print({show})"]
    return subprocess.run(command, capture_output=True, text=True, env=clean, cwd=settings.BASE_DIR, timeout=60)


def test_development_is_the_default():
    result = run_with()
    assert result.returncode == 0 and result.stdout.strip() == "True"


def test_production_refuses_a_missing_secret_key():
    result = run_with(DJANGO_ENV="production", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = run_with(DJANGO_ENV="production", ALLOWED_HOSTS="example.org", SECRET_KEY="x" * 64)
    assert result.returncode == 0 and result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "yes"),
        ("DJANGO_ENV", "staging"),
        ("CONN_MAX_AGE", "soon"),
        ("API_ANON_RATE", "lots"),
        ("TRUSTED_PROXY_COUNT", "one"),
        ("TRUSTED_PROXY_COUNT", "-1"),
        ("API_TOKEN_LIFETIME_DAYS", "0"),
    ],
)
def test_a_malformed_value_fails_loudly_naming_the_variable(name, value):
    result = run_with(**{name: value, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert result.returncode != 0 and name in result.stderr


def test_secret_key_can_be_read_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 64)
    result = run_with(DJANGO_ENV="production", ALLOWED_HOSTS="example.org", SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("value", "rate"), [("", "120/minute"), ("600/hour", "600/hour"), ("off", "None")])
def test_the_anonymous_api_rate_is_a_rate_or_off(value, rate):
    result = run_with("settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon']", API_ANON_RATE=value)
    assert result.stdout.strip() == rate, result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True"),  # development: one process, one cache
        ({"DJANGO_ENV": "production"}, "False"),  # several workers, each with its own cache
        ({"DJANGO_ENV": "production", "REDIS_URL": "redis://cache.internal:6379/0"}, "True"),
        ({"DJANGO_ENV": "production", "PUBLIC_RESPONSE_CACHE": "True"}, "True"),
    ],
)
def test_visitors_pages_are_stored_by_default_only_where_every_process_shares_the_cache(env, expected):
    result = run_with("settings.PUBLIC_RESPONSE_CACHE", ALLOWED_HOSTS="example.org", SECRET_KEY="x" * 64, **env)
    assert result.stdout.strip() == expected, result.stderr
