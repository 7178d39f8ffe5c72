"""A Redis cache that treats an unreachable Redis as an empty cache.

Django's own Redis backend raises on a lost connection, which would turn a Redis restart
into error pages. Here every error is logged and answered as a miss (or a no-op write),
so pages are still served, only uncached. While the process's circuit breaker is open
(canary.redis_breaker) Redis is not asked at all, so a hung Redis costs one timeout a pause
rather than several a request.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from .redis_breaker import breaker


class ResilientRedisCache(RedisCache):
    def _soft(self, operation, fallback, *args, **kwargs):
        if not breaker.allows():
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as error:
            breaker.failed(operation, error)
            return fallback
        breaker.succeeded()
        return result

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
        # A counter that cannot be read is "not there", as Django's API spells it.
        if not breaker.allows():
            raise ValueError(f"Key '{key}' not reachable")
        try:
            result = super().incr(key, delta, version)
        except ValueError:
            breaker.succeeded()  # Redis answered: the key is missing
            raise
        except (RedisError, OSError) as error:
            breaker.failed("incr", error)
            raise ValueError(f"Key '{key}' not reachable") from error
        breaker.succeeded()
        return result

    def count(self, key, timeout):
        """Add one to a counter that lives `timeout` seconds from its first count; the new count.

        One round trip, where Django's add() then incr() make three (incr asks first whether
        the key exists). The two commands run as one transaction, so the counter cannot expire
        between them and be made again without a timeout. None when Redis cannot be reached.
        """
        key = self.make_and_validate_key(key)
        if not breaker.allows():
            return None
        try:
            pipeline = self._cache.get_client(key, write=True).pipeline()
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
            count = pipeline.execute()[1]
        except (RedisError, OSError) as error:
            breaker.failed("count", error)
            return None
        breaker.succeeded()
        return count

    def hash_incr(self, key, field):
        """Add one to a field of a hash, in one round trip; None when Redis cannot be reached.

        For counters that many processes add to and one reads whole (readership's tallies).
        """
        key = self.make_and_validate_key(key)
        if not breaker.allows():
            return None
        try:
            count = self._cache.get_client(key, write=True).hincrby(key, field, 1)
        except (RedisError, OSError) as error:
            breaker.failed("hash_incr", error)
            return None
        breaker.succeeded()
        return count

    def hash_claim(self, key, claim_key, mark_field, mark):
        """Move the hash at key to claim_key unless a claim is there already; mark the claim.

        RENAMENX and HSETNX run as one transaction: a count added meanwhile lands in a new hash
        at key, and a claim left by a crash keeps its first mark. False when Redis cannot be reached.
        """
        key, claim_key = self.make_and_validate_key(key), self.make_and_validate_key(claim_key)
        if not breaker.allows():
            return False
        try:
            pipeline = self._cache.get_client(key, write=True).pipeline()
            pipeline.renamenx(key, claim_key)  # "no such key" when nothing was counted
            pipeline.hsetnx(claim_key, mark_field, mark)
            pipeline.execute(raise_on_error=False)
        except (RedisError, OSError) as error:
            breaker.failed("hash_claim", error)
            return False
        breaker.succeeded()
        return True

    def hash_read(self, key):
        """The whole hash as {str: str}; None when Redis cannot be reached."""
        key = self.make_and_validate_key(key)
        if not breaker.allows():
            return None
        try:
            raw = self._cache.get_client(key).hgetall(key)
        except (RedisError, OSError) as error:
            breaker.failed("hash_read", error)
            return None
        breaker.succeeded()
        return {field.decode(): value.decode() for field, value in raw.items()}

    def ping(self):
        """True when Redis answers; used by the health check. False unasked while the breaker is open."""
        if not breaker.allows():
            return False
        try:
            answered = bool(self._cache.get_client(write=True).ping())
        except (RedisError, OSError) as error:
            breaker.failed("ping", error)
            return False
        breaker.succeeded()
        return answered
