"""API tokens (dialogues_portal/tokens.py): they expire, their owner sees when and can revoke
theirs, the admin lists them with their dates."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CREDENTIALS = {"username": "editor", "password": "a-long-test-password"}


def obtain():
    return APIClient().post("/api/v1/auth/token/", CREDENTIALS, format="json")


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def age(token, days):
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=days))


def test_a_token_comes_with_its_expiry(editor, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    body = obtain().json()
    token = Token.objects.get(user=editor)
    assert body["token"] == token.key
    expires = datetime.datetime.fromisoformat(body["expires"].replace("Z", "+00:00"))
    assert expires == token.created + datetime.timedelta(days=30)
    assert obtain().json()["token"] == token.key  # the same token until it expires


def test_an_expired_token_is_refused_with_a_clear_401(editor, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 90
    token = Token.objects.create(user=editor)
    assert with_token(token.key).get("/api/v1/auth/token/").status_code == 200
    age(token, 91)
    response = with_token(token.key).get("/api/v1/countries/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_the_password_gives_a_new_token_once_the_old_one_expired(editor):
    old = Token.objects.create(user=editor)
    age(old, 365)
    new_key = obtain().json()["token"]
    assert new_key != old.key
    assert with_token(new_key).get("/api/v1/auth/token/").status_code == 200


def test_the_owner_sees_when_their_token_expires(editor, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 7
    token = Token.objects.create(user=editor)
    body = with_token(token.key).get("/api/v1/auth/token/").json()
    assert set(body) == {"created", "expires"}  # never the key itself
    assert APIClient().get("/api/v1/auth/token/").status_code == 401


def test_the_owner_revokes_their_token(editor):
    key = obtain().json()["token"]
    response = with_token(key).delete("/api/v1/auth/token/")
    assert response.status_code == 204
    assert not Token.objects.filter(user=editor).exists()
    assert with_token(key).get("/api/v1/countries/").status_code == 401
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401


def test_revoking_leaves_other_users_tokens(editor, publisher):
    mine, theirs = Token.objects.create(user=editor), Token.objects.create(user=publisher)
    with_token(mine.key).delete("/api/v1/auth/token/")
    assert Token.objects.filter(pk=theirs.pk).exists()


def test_the_admin_lists_tokens_with_owner_and_dates(admin_client, editor, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 90
    token = Token.objects.create(user=editor)
    age(token, 100)
    page = admin_client.get("/admin/authtoken/tokenproxy/").content.decode()
    assert "editor" in page and "Expires" in page and "Expired" in page
    assert token.key not in page


def test_the_api_token_command_renews_an_expired_token(editor, capsys):
    from django.core.management import call_command

    old = Token.objects.create(user=editor)
    age(old, 365)
    call_command("api_token", "editor")
    captured = capsys.readouterr()
    assert captured.out.strip() != old.key
    assert "expires" in captured.err
