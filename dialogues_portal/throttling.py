"""The anonymous API rate limit, counted per client address as the trusted proxies report it."""

from rest_framework.throttling import AnonRateThrottle

from .client_address import client_address


class ClientAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, keyed by `client_address` (DRF's own reading, with NUM_PROXIES
    unset, takes the whole `X-Forwarded-For` a client sends: a new header, a new count)."""

    def get_ident(self, request):
        return client_address(request)
