"""The client's address, as the trusted reverse proxies report it: the one place that reads it.

Every proxy in front of the portal appends the address it received the request from to
`X-Forwarded-For`; whatever stands to the left of the entries they wrote came from the client and
can be forged. With TRUSTED_PROXY_COUNT proxies the client is therefore the entry that many places
from the right (with 0, a direct deployment, the header is ignored and REMOTE_ADDR is the client).
The rate limit (throttling.py), django-axes' login lock-out and anything else that tells clients
apart call `client_address`.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if proxies == 0 or not forwarded:
        return remote
    # fewer entries than proxies: the request reached an inner proxy first, which wrote the left-most
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a proxy writes addresses; anything else is not one of theirs
        return remote
