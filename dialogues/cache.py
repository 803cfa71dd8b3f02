"""A cache for expensive aggregates, invalidated whenever any content record changes.

Values live in Django's default cache (local memory, or Redis when REDIS_URL is set) under a key
that carries a "generation" number; a save, delete or many-to-many change of any content record
bumps the generation, so every cached aggregate is recomputed at its next use and no stale value is
ever served again (old generations simply expire). One counter instead of per-aggregate keys: an
edit touches few records but many figures, and working out which is error-prone.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "portal:cache-generation"
COMPUTE_LOCK_SECONDS = 60  # how long a value being computed is locked at most (its holder may die)
COMPUTE_WAIT_SECONDS = 20  # how long another request waits for it before computing it too
COMPUTE_POLL_SECONDS = 0.05
_MISSING = object()
_computing = ContextVar("computing_cached_value", default=False)


def computing_cached_value():
    """True while a value to be cached is computed. A read replica may lag behind the primary; the
    database router then reads from the primary, so no old figure is stored under a new generation."""
    return _computing.get()


@contextmanager
def computing():
    """Marks the code inside as computing a value to be cached (see computing_cached_value)."""
    token = _computing.set(True)
    try:
        yield
    finally:
        _computing.reset(token)


def generation():
    """The current generation; started afresh (and larger than any before) if the cache lost it."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A clock value, not 1: after an eviction or a restart of the cache the counter must not
        # return to a number whose values may still be stored.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is gone: any new number works, stored values stay unreachable
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def cached(key, compute, timeout=None):
    """`compute()`'s value, stored under `key` until the next content change (or `timeout` seconds,
    AGGREGATE_CACHE_TIMEOUT by default). `key` must name every argument the value depends on."""
    full_key = f"portal:{generation()}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute_once(full_key, compute, settings.AGGREGATE_CACHE_TIMEOUT if timeout is None else timeout)
    return value


def compute_once(full_key, compute, timeout):
    """Compute and store a missing value, once for all the requests that miss it together.

    Right after an edit every request misses every value at once; a figure over a million rows
    takes seconds, and computing it in each of them would multiply the load just when it is
    highest. The first request takes a lock (an atomic `add`: shared by every server with Redis)
    and computes; the others wait for its value, up to COMPUTE_WAIT_SECONDS, and compute it
    themselves only if it does not come (the lock expires on its own if its holder dies, and is
    released at once if its computation fails).
    """
    lock = f"{full_key}:computing"
    if not cache.add(lock, True, COMPUTE_LOCK_SECONDS):
        deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(COMPUTE_POLL_SECONDS)
            found = cache.get_many([full_key, lock])
            if full_key in found:
                return found[full_key]
            if lock not in found:  # released without a value: its computation failed
                break
    try:
        with computing():
            value = compute()
        cache.set(full_key, value, timeout)
    finally:
        cache.delete(lock)
    return value


def invalidate_on_changes_to(*app_labels):
    """Bump the generation on every save, delete and many-to-many change of the apps' models
    (their history and through models included): connected once, for any sender, filtered here."""
    labels = frozenset(app_labels)

    def content_changed(sender, using="default", action="post_", **kwargs):
        if sender._meta.app_label not in labels or not action.startswith("post_"):
            return
        bump_generation()  # at once: the editor's next read, in or after this transaction, is fresh
        # and again at commit: a value computed by another request before the commit, from the
        # old rows, would otherwise stay stored under the new generation
        transaction.on_commit(bump_generation, using=using)

    for signal_name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(content_changed, weak=False, dispatch_uid=f"portal-cache-{signal_name}")
