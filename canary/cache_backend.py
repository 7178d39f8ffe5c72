"""A Redis cache that treats an unreachable Redis as an empty cache.

Django's own Redis backend raises on a lost connection, which would turn a Redis restart
into error pages. Here every error is logged and answered as a miss (or a no-op write),
so pages are still served, only uncached. While the process's circuit breaker is open
(canary.redis_breaker) Redis is not asked at all, so a hung Redis costs one timeout a pause
rather than several a request.

The page cache's hit path (read_with_generation, RedisReader) reaches into Django's Redis
backend and redis-py for speed; this module is the one place that does.
"""

import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from .redis_breaker import breaker

# At most this much of the shared cache is copied in each worker (see RedisReader).
LOCAL_COPY_BYTES = 32 * 1024 * 1024


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

    # For each (counter, field, n): add n attempts to the window's counter and, of those n, add
    # to the hash's field the ones still within the limit. The readership beacons a process has
    # gathered, in one round trip (EVALSHA). KEYS: the hash, then each entry's counter; ARGV: the
    # counters' lifetime, the limit, then each entry's field and n.
    LIMITED_HASH_ADD = """
    local timeout, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
    for i = 2, #KEYS do
        local n = tonumber(ARGV[2 * i])
        local count = redis.call('INCRBY', KEYS[i], n)
        if count == n then redis.call('EXPIRE', KEYS[i], timeout) end
        local within = math.min(n, limit - (count - n))
        if within > 0 then redis.call('HINCRBY', KEYS[1], ARGV[2 * i - 1], within) end
    end
    return #KEYS - 1
    """

    def limited_hash_add(self, entries, timeout, limit, key):
        """Count entries, [(counter, field, n)], as LIMITED_HASH_ADD says, in one round trip.

        True when done; None when Redis cannot be reached (nothing done)."""
        key = self.make_and_validate_key(key)
        counters, arguments = [], [timeout, limit]
        for counter, field, n in entries:
            counters.append(self.make_and_validate_key(counter))
            arguments += [field, n]
        if not breaker.allows():
            return None
        try:
            script = self._cache.get_client(key, write=True).register_script(self.LIMITED_HASH_ADD)
            script(keys=[key, *counters], args=arguments)  # EVALSHA, loaded once
        except (RedisError, OSError) as error:
            breaker.failed("limited_hash_add", error)
            return None
        breaker.succeeded()
        return True

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

    def read_with_generation(self, key, generation_key):
        """The page cache's read: (generation, entry) in one round trip, through this process's
        RedisReader; None when Redis cannot be reached (or the breaker is open)."""
        if not breaker.allows():
            return None
        reader = self.__dict__.get("_page_cache_reader")
        if reader is None:
            reader = self.__dict__["_page_cache_reader"] = RedisReader(self, generation_key)
        try:
            found = reader.lookup(key)
        except (RedisError, OSError) as error:
            breaker.failed("page-cache read", error)
            return None
        breaker.succeeded()
        return found

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


class RedisReader:
    """The hit path's reads from Django's Redis backend: one round trip, as little as possible in it.

    * One redis client, kept. Django's RedisCache builds a new redis.Redis (and its table of
      ~170 response callbacks) for every operation, which costs more than the rest of a hit.
    * A bounded copy, in this process, of the entries it served lately, as pickled by Redis.
      While a copy exists, a request asks Redis for the generation only (a few bytes, not the
      page again) and the copy is served if it belongs to that generation and its deadline
      (the same as the entry's lifetime in Redis) has not passed. The generation is still read
      on every request, so a change shows at once in every worker, as without the copy.

    Entries are the page cache's tuples: (generation, stored_at, deadline, ...).
    """

    def __init__(self, backend, generation_key, max_bytes=LOCAL_COPY_BYTES):
        self.client = backend._cache.get_client()
        self.loads = backend._cache._serializer.loads
        self.make_key = backend.make_key
        self.generation_key = backend.make_key(generation_key)
        self.connection = self.get_generation = None  # see read_generation
        self.copies = OrderedDict()  # redis key -> (raw generation, deadline, raw entry)
        self.size = 0
        self.max_bytes = max_bytes

    def lookup(self, key):
        redis_key = self.make_key(key)
        copy = self.copies.get(redis_key)
        if copy is None:
            raw_generation, raw_entry = self.client.mget([self.generation_key, redis_key])
        else:
            raw_generation = self.read_generation()
            if raw_generation == copy[0] and time.time() < copy[1]:
                self.copies.move_to_end(redis_key)
                return self.loads(raw_generation), self.loads(copy[2])
            self.forget(redis_key)
            # A second round trip, once per page and process after each change.
            raw_entry = self.client.get(redis_key)
        generation = None if raw_generation is None else self.loads(raw_generation)
        entry = None if raw_entry is None else self.loads(raw_entry)
        if entry is not None and entry[0] == generation:
            self.keep(redis_key, raw_generation, entry[2], raw_entry)
        return generation, entry

    def read_generation(self):
        """GET of the generation on a connection of this reader's own, the command packed once.

        Its own connection, not one from the pool: no checkout, no readiness poll, one send and
        one read. On any error it is dropped, and the next request connects again.
        """
        connection = self.connection
        if connection is None:
            pool = self.client.connection_pool
            connection = self.connection = pool.connection_class(**pool.connection_kwargs)
            self.get_generation = connection.pack_command("GET", self.generation_key)
        try:
            connection.send_packed_command(self.get_generation, check_health=False)
            return connection.read_response()
        except BaseException:
            connection.disconnect()
            self.connection = None
            raise

    def keep(self, redis_key, raw_generation, deadline, raw_entry):
        self.forget(redis_key)
        if len(raw_entry) > self.max_bytes // 4:
            return
        self.copies[redis_key] = (raw_generation, deadline, raw_entry)
        self.size += len(raw_entry)
        while self.size > self.max_bytes:
            _, (_, _, oldest) = self.copies.popitem(last=False)
            self.size -= len(oldest)

    def forget(self, redis_key):
        copy = self.copies.pop(redis_key, None)
        if copy is not None:
            self.size -= len(copy[2])
