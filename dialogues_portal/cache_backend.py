"""Redis as a cache that may go away: when it does not answer, the portal goes on without it.

Everything kept in the cache can be computed again from the database (figures, pages, rate-limit
counts), so an unreachable Redis makes a read a miss and a write a no-op instead of a 500, and is
logged at most once a minute per process, not once per request. After a failure the cache is not
asked again for RETRY_SECONDS: a Redis that times out would otherwise cost each request its
timeouts. Writes lost meanwhile (a generation bump, a deletion) must not let a value stored before
them be served when Redis returns with its data: their keys are deleted first thing once it
answers again (dialogues/cache.py then starts a new generation).
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
LOG_INTERVAL_SECONDS = 60
RETRY_SECONDS = 1
MAX_LOST_KEYS = 10_000  # past this many, the whole cache is emptied on return instead


class _Outage:
    """What every thread of a process knows of one cache's outage (Django gives each thread its
    own backend instance)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.logged_at = None
        self.unlogged = 0
        self.lost_keys = set()
        self.lost_all = False


_outages = {}
_outages_lock = threading.Lock()


def _outage_of(location):
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ResilientRedisCacheClient(RedisCacheClient):
    """Django's Redis client (keys already made), answering like an empty cache while Redis is
    unreachable."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._outage = _outage_of(",".join(servers))

    def _guarded(self, default, operation, *args, lost=(), lost_all=False):
        outage = self._outage
        if time.monotonic() < outage.retry_at:
            self._lose(lost, lost_all)
            return default
        try:
            self._forget_lost()
            return operation(self, *args)
        except UNREACHABLE as error:
            outage.retry_at = time.monotonic() + RETRY_SECONDS
            self._lose(lost, lost_all)
            self._report(error)
            return default

    def _lose(self, keys, everything):
        outage = self._outage
        with outage.lock:
            outage.lost_keys.update(keys)
            if everything or len(outage.lost_keys) > MAX_LOST_KEYS:
                outage.lost_all, outage.lost_keys = True, set()

    def _forget_lost(self):
        """Back after an outage: delete the keys whose writes were lost meanwhile."""
        outage = self._outage
        if not (outage.lost_all or outage.lost_keys):
            return
        with outage.lock:
            keys, everything = list(outage.lost_keys), outage.lost_all
            outage.lost_keys, outage.lost_all = set(), False
        try:
            if everything:
                super().clear()
            elif keys:
                super().delete_many(keys)
        except UNREACHABLE:
            self._lose(keys, everything)  # still away: for the next try
            raise
        if outage.logged_at is not None:
            logger.warning("The cache answers again; %s written while it was away deleted", len(keys) or "all keys")
            outage.logged_at, outage.unlogged = None, 0

    def _report(self, error):
        outage = self._outage
        now = time.monotonic()
        with outage.lock:
            outage.unlogged += 1
            if outage.logged_at is not None and now - outage.logged_at < LOG_INTERVAL_SECONDS:
                return
            outage.logged_at, failures, outage.unlogged = now, outage.unlogged, 0
        logger.error(
            "The cache (Redis) does not answer: pages, figures and API lists are computed from the "
            "database meanwhile (%d failed cache operations since the last report): %s",
            failures,
            error,
        )

    # --- each operation guarded; writes name the keys they would have changed

    def add(self, key, value, timeout):
        return self._guarded(False, RedisCacheClient.add, key, value, timeout)

    def get(self, key, default):
        return self._guarded(default, RedisCacheClient.get, key, default)

    def set(self, key, value, timeout):
        self._guarded(None, RedisCacheClient.set, key, value, timeout, lost=[key])

    def touch(self, key, timeout):
        return self._guarded(False, RedisCacheClient.touch, key, timeout)

    def delete(self, key):
        return self._guarded(False, RedisCacheClient.delete, key, lost=[key])

    def get_many(self, keys):
        return self._guarded({}, RedisCacheClient.get_many, keys)

    def has_key(self, key):
        return self._guarded(False, RedisCacheClient.has_key, key)

    def incr(self, key, delta):
        return self._guarded(None, RedisCacheClient.incr, key, delta, lost=[key])

    def set_many(self, data, timeout):
        self._guarded(None, RedisCacheClient.set_many, data, timeout, lost=list(data))

    def delete_many(self, keys):
        self._guarded(None, RedisCacheClient.delete_many, keys, lost=list(keys))

    def clear(self):
        return self._guarded(False, RedisCacheClient.clear, lost_all=True)

    def answers(self):
        """Whether Redis answers now, asked even during the pause after a failure."""
        try:
            return bool(self.get_client(None).ping())
        except UNREACHABLE:
            return False


class ResilientRedisCache(RedisCache):
    """settings.CACHES' backend with REDIS_URL (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient


def cache_answers(cache):
    """For /healthz: whether `cache` answers (a local-memory cache always does)."""
    client = getattr(cache, "_cache", None)
    return client.answers() if isinstance(client, ResilientRedisCacheClient) else True
