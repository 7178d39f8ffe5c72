"""One circuit breaker per process for every use of Redis.

A Redis that is killed refuses connections at once, but one that hangs (frozen, its host
overloaded, a network that drops packets) accepts them and never answers: every operation
then waits out its socket timeout, several a page, and the site crawls. So the first
connection error or timeout opens the breaker and, for ``REDIS_RETRY_SECONDS``, no one in this
process asks Redis anything: the page cache, the site parts, rate limits and markers all
behave as if the cache were empty, and pages are served uncached. After the pause one request
probes Redis again; an answer closes the breaker, another failure opens it for another pause.
"""

import logging
import time

from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("canary.cache")

# What says Redis itself is away or hung, not that one command was wrong.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class Breaker:
    def __init__(self):
        self.open_until = None  # monotonic time, or None while Redis answers

    def allows(self):
        """True if Redis may be asked now; after a pause, the caller that gets True probes it."""
        open_until = self.open_until
        if open_until is None:
            return True
        now = time.monotonic()
        if now < open_until:
            return False
        # One probe per pause: every other caller keeps skipping while this one waits.
        self.open_until = now + settings.REDIS_RETRY_SECONDS
        return True

    @property
    def is_open(self):
        return self.open_until is not None

    def succeeded(self):
        if self.open_until is not None:
            self.open_until = None
            logger.warning("Redis answers again; the page cache is back")

    def failed(self, operation, error):
        """Note an error; one that says Redis is unreachable opens the breaker (once a pause)."""
        if not isinstance(error, UNREACHABLE):
            logger.warning("Redis %s failed, treated as a cache miss: %s", operation, error)
            return
        self.open_until = time.monotonic() + settings.REDIS_RETRY_SECONDS
        logger.warning(
            "Redis %s failed (%s): not asked again for %s s, pages served uncached",
            operation,
            error,
            settings.REDIS_RETRY_SECONDS,
        )


breaker = Breaker()
