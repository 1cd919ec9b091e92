"""Django's Redis cache, made to fail open.

Everything the portal keeps in the cache (whole pages, content versions,
view counters, site settings, the section tree) can be rebuilt from
PostgreSQL, so a Redis that fails must never cost a reader a page. Any
Redis error counts as a failure: a server out of reach or too slow, but also
one that answers with an error, such as a full Redis refusing writes
(``OOM``, the ``noeviction`` policy) or a replica left behind by a failover
refusing them (``READONLY``). While Redis fails this backend answers like an
empty cache that keeps nothing: pages are built from the database, as with
the page cache off. After a failure it leaves Redis alone for
``RETRY_SECONDS`` (no request waits on a dead server's timeout), then tries
again and resumes on its own.

The failure and the recovery are logged once each, not once per request.
A change saved meanwhile cannot make the caches forget what it changes,
so no server may go on serving what they hold: a Redis that still answers
(a full one still deletes) is told at once to drop the content version and
the caches kept without one, and recovering means first doing, with
success, what every change does (``portal.cache.forget_everything``); only
then is the cache read again.
"""

import contextlib
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError, ResponseError

from portal.cache import forget_everything

logger = logging.getLogger("portal.cache")

FAILURES = (RedisError, OSError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and building
    one sets up its table of reply parsers: a third of the time of a cache
    read on a warm connection. A ``redis.Redis`` is safe to share between
    threads; its pool hands each call a connection.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.retry_seconds = float(params.get("RETRY_SECONDS", self.RETRY_SECONDS))
        self._down_until = 0.0
        self._down = False
        self._raising = False

    def _call(self, method, default, *args, **kwargs):
        if self._raising:
            return method(*args, **kwargs)
        if self._down and not self._available_again():
            return default
        try:
            return method(*args, **kwargs)
        except FAILURES as error:
            self._failed(error)
            return default

    def _failed(self, error):
        logger.error(
            "Redis cache unavailable (%s: %s): serving from the database without "
            "caching, retrying every %g s",
            type(error).__name__,
            error,
            self.retry_seconds,
        )
        self._down = True
        self._down_until = time.monotonic() + self.retry_seconds
        if isinstance(error, ResponseError):
            # Redis answers but refused something, perhaps what a change
            # does to make cached pages stale, and the changes that follow
            # cannot do it either while this server leaves Redis alone. A
            # full Redis still deletes: every server then drops its pages
            # with the content version, and the caches kept without one.
            with contextlib.suppress(*FAILURES), self._failures_raised():
                forget_everything(deleting_only=True)
        # Connections to a server that failed over or went away are not
        # reused: the next attempt connects afresh, maybe to the new primary.
        for pool in self._cache._pools.values():
            pool.disconnect()

    def _available_again(self) -> bool:
        """After the retry delay, whether Redis works again; if so, recover first."""
        if time.monotonic() < self._down_until:
            return False
        # Changes saved here while Redis failed made none of the caches
        # forget what they changed; pages and settings other servers cached
        # before them may still be in Redis. So recovering is doing that
        # first, before anything is read from Redis again, and it takes
        # writes: a full or read-only Redis still answers reads.
        try:
            with self._failures_raised():
                forget_everything()
        except FAILURES:
            self._down_until = time.monotonic() + self.retry_seconds
            return False
        self._down = False
        logger.warning("Redis cache available again: caching resumed")
        return True

    @contextlib.contextmanager
    def _failures_raised(self):
        """Let this backend's failures reach the caller (``portal.cache`` calls
        it through ``django.core.cache.cache``, this thread's instance)."""
        self._raising = True
        try:
            yield
        finally:
            self._raising = False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be used is treated as missing, as Django
        # does for a missing key: callers then start it afresh with add().
        result = self._call(super().incr, None, key, delta, version)
        if result is None:
            raise ValueError(f"Key {key!r} not found (cache unavailable).")
        return result

    def add_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        """Add each key of ``data`` not in the cache yet, in one round trip;
        return the keys added (none while Redis fails)."""
        return self._call(self._add_many, [], data, timeout, version)

    def _add_many(self, data, timeout, version):
        keys = {self.make_and_validate_key(key, version=version): key for key in data}
        timeout = self.get_backend_timeout(timeout)
        pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
        for made, key in keys.items():
            pipeline.set(made, self._cache._serializer.dumps(data[key]), ex=timeout, nx=True)
        return [key for key, added in zip(keys.values(), pipeline.execute(), strict=True) if added]

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)
