"""API tokens with a lifetime: API_TOKEN_LIFETIME_DAYS after it was issued a token is refused
(401), and the owner obtains a new one with their password (/api/v1/auth/token/) or from an
administrator (manage.py api_token). An owner can see when theirs expires and revoke it.

DRF's one token per user, dated by its `created`: the lifetime is a setting, not a stored date,
so shortening it takes effect for every token at once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_expires_at(token):
    return token.created + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


def token_has_expired(token):
    return timezone.now() >= token_expires_at(token)


def token_issue(*, user):
    """The user's token, a new one if theirs has expired: (token, created)."""
    with transaction.atomic():
        token, created = Token.objects.select_for_update().get_or_create(user=user)
        if not created and token_has_expired(token):
            token.delete()
            token, created = Token.objects.create(user=user), True
    return token, created


def token_revoke(*, user):
    """Delete the user's token; whether they had one."""
    deleted, _counts = Token.objects.filter(user=user).delete()
    return bool(deleted)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused once the token has expired."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_has_expired(token):
            raise AuthenticationFailed(_("Token has expired: obtain a new one from /api/v1/auth/token/."))
        return user, token
