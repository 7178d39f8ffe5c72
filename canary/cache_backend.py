"""A Redis cache that treats an unreachable Redis as an empty cache.

Django's own Redis backend raises on a lost connection, which would turn a Redis restart
into error pages. Here every error is logged and answered as a miss (or a no-op write),
so pages are still served, only uncached.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("canary.cache")


class ResilientRedisCache(RedisCache):
    def _soft(self, operation, fallback, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as error:
            logger.warning("Redis %s failed, treated as a cache miss: %s", operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._soft("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as error:
            # A counter that cannot be read is "not there", as Django's API spells it.
            logger.warning("Redis incr failed: %s", error)
            raise ValueError(f"Key '{key}' not reachable") from error

    def count(self, key, timeout):
        """Add one to a counter that lives `timeout` seconds from its first count; the new count.

        One round trip, where Django's add() then incr() make three (incr asks first whether
        the key exists). The two commands run as one transaction, so the counter cannot expire
        between them and be made again without a timeout. None when Redis cannot be reached.
        """
        key = self.make_and_validate_key(key)
        try:
            pipeline = self._cache.get_client(key, write=True).pipeline()
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
            return pipeline.execute()[1]
        except (RedisError, OSError) as error:
            logger.warning("Redis count failed: %s", error)
            return None

    def ping(self):
        """True when Redis answers; used by the health check."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except (RedisError, OSError):
            return False
