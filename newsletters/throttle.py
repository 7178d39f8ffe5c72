"""NEWSLETTER_MAX_RATE: at most that many newsletter messages a second, whoever sends them.

Every worker, in every process, counts the message it is about to send in the current second's
counter: in Redis when the cache is Redis (one round trip), else in a database row. A worker
whose count would pass the rate waits for the next second and tries again, so the sum over all
workers never passes it. If Redis cannot be reached the database counts instead.
"""

import time

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import SendingSecond

# Counters older than this many seconds are deleted as new ones are made (the database's only).
KEEP_SECONDS = 60


class Throttle:
    """Waits before each message until the shared count allows it; clock and sleep for tests."""

    def __init__(self, rate, clock=time.time, sleep=time.sleep):
        self.rate, self.clock, self.sleep = rate, clock, sleep

    def wait(self):
        if not self.rate:
            return
        while True:
            now = self.clock()
            second = int(now)
            if self.take(second):
                return
            self.sleep(max(0.001, second + 1 - now))

    def take(self, second):
        """Count one message in this second; False when the second is already full."""
        count_in_redis = getattr(cache, "count", None)  # canary.cache_backend's, shared by all
        if count_in_redis is not None:
            count = count_in_redis(f"newsletters:rate:{second}", 5)
            if count is not None:
                return count <= self.rate
        return take_in_database(second, self.rate)


def take_in_database(second, rate):
    # A conditional UPDATE: two workers cannot both take the last place in a second.
    if SendingSecond.objects.filter(second=second, count__lt=rate).update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            SendingSecond.objects.create(second=second, count=1)
    except IntegrityError:
        # The second's row exists: someone made it just now (try once more), or it is full.
        return bool(SendingSecond.objects.filter(second=second, count__lt=rate).update(count=F("count") + 1))
    SendingSecond.objects.filter(second__lt=second - KEEP_SECONDS).delete()
    return True
