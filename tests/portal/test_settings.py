"""Settings come from the environment; production refuses unsafe or malformed values."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

CHECK = [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"]


def run_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV", "SECRET_KEY", "DEBUG")}
    clean.update(env, DJANGO_SETTINGS_MODULE="dialogues_portal.settings")
    return subprocess.run(CHECK, capture_output=True, text=True, env=clean, cwd=settings.BASE_DIR, timeout=60)


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
    [("DEBUG", "yes"), ("DJANGO_ENV", "staging"), ("CONN_MAX_AGE", "soon"), ("API_ANON_RATE", "lots")],
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
    show = "import django; django.setup(); from django.conf import settings;"
    show += " print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon'])"
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV", "API_ANON_RATE")}
    clean.update(API_ANON_RATE=value, DJANGO_SETTINGS_MODULE="dialogues_portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", show], capture_output=True, text=True, env=clean, cwd=settings.BASE_DIR, timeout=60
    )
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
    show = "import django; django.setup(); from django.conf import settings; print(settings.PUBLIC_RESPONSE_CACHE)"
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ENV", "REDIS_URL", "PUBLIC_RESPONSE_CACHE", "SECRET_KEY")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="dialogues_portal.settings", ALLOWED_HOSTS="example.org")
    clean.setdefault("SECRET_KEY", "x" * 64)
    result = subprocess.run(
        [sys.executable, "-c", show], capture_output=True, text=True, env=clean, cwd=settings.BASE_DIR, timeout=60
    )
    assert result.stdout.strip() == expected, result.stderr
