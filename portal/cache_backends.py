"""Django's Redis cache, made to fail open.

Everything the portal keeps in the cache (whole pages, content versions,
view counters, site settings, the section tree) can be rebuilt from
PostgreSQL, so an unreachable Redis must never cost a reader a page. While
Redis is down this backend answers like an empty cache that keeps nothing:
pages are built from the database, as with the page cache off. After a
failure it leaves Redis alone for ``RETRY_SECONDS`` (no request waits on a
dead server's timeout), then tries again and resumes on its own.

The outage and the recovery are logged once each, not once per request. On
recovery the page cache's content version is raised: an edit saved while
this server could not reach Redis reaches every server's pages then.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


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

    def _call(self, method, default, *args, **kwargs):
        if self._down and not self._reachable_again():
            return default
        try:
            return method(*args, **kwargs)
        except UNREACHABLE as error:
            logger.error(
                "Redis cache unreachable (%s): serving from the database without "
                "caching, retrying every %.0f s",
                error,
                self.retry_seconds,
            )
            self._down = True
            self._down_until = time.monotonic() + self.retry_seconds
            return default

    def _reachable_again(self) -> bool:
        """After the retry delay, whether Redis answers; if so, recover first."""
        if time.monotonic() < self._down_until:
            return False
        try:
            self._cache.get_client(write=True).ping()
        except UNREACHABLE:
            self._down_until = time.monotonic() + self.retry_seconds
            return False
        self._down = False
        logger.warning("Redis cache reachable again: caching resumed")
        self._recovered()
        return True

    def _recovered(self):
        # Saves made here while Redis was out of reach raised no content
        # version; pages other servers cached before them may still be in
        # Redis. Raise it now, so no such page is served again.
        from portal.cache import bump_content_version

        bump_content_version()

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
        # A counter that cannot be reached is treated as missing, as Django
        # does for a missing key: callers then start it afresh with add().
        result = self._call(super().incr, None, key, delta, version)
        if result is None:
            raise ValueError(f"Key {key!r} not found (cache unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)
