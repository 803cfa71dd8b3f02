"""Reads from the replica when one is configured (DATABASE_REPLICA_URL), everything else on the primary.

A request is "pinned" to the primary, for the rest of its life, by its first write (so it reads what
it wrote) or from the start when an editor (a staff user) makes it (so editors always see their own
changes, whatever the replication lag). Accounts and sessions are always read from the primary: a
login is followed at once by a request, maybe on another app server, that must find the session.
Figures computed for the shared cache are read from the primary too (dialogues/cache.py).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

from dialogues.cache import computing_cached_value

PRIMARY = "default"
REPLICA = "replica"
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "authtoken", "axes", "admin"})

_pinned = ContextVar("pinned_to_primary", default=False)


def is_pinned():
    return _pinned.get()


def pin_to_primary():
    _pinned.set(True)


@contextmanager
def request_scope(pinned=False):
    """A fresh pin for one request (or command, or test), restored when it ends."""
    token = _pinned.set(pinned)
    try:
        yield
    finally:
        _pinned.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _pinned.get()
            or computing_cached_value()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or REPLICA not in connections
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PinToPrimaryMiddleware:
    """Scopes the pin to the request; pins an editor's requests from the start."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Costs no query for visitors without a session; an editor's session and account are read
        # from the primary and kept on the request for the views.
        with request_scope(pinned=request.user.is_staff):
            response = self.get_response(request)
            pinned = is_pinned()
        if response.streaming and not response.is_async:
            # an export's rows are read while its body is sent, after this scope ended
            response.streaming_content = _in_request_scope(response.streaming_content, pinned)
        return response


def _in_request_scope(chunks, pinned):
    """`chunks`, each produced under the request's pin (only while it is: a pin set here while the
    generator waits would hold for whatever else the thread runs meanwhile)."""
    chunks = iter(chunks)
    while True:
        with request_scope(pinned):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk
