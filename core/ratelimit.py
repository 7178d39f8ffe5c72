"""A fixed-window counter in the shared cache, for limits on what readers may post."""

import time

from django.core.cache import cache


def window_key(kind, value, window=60):
    """The counter of `value`'s attempts at `kind` in this window."""
    return f"ratelimit:{kind}:{value}:{int(time.time() // window)}"


def allow(kind, value, limit, window=60):
    """Count one attempt; False once `value` has made more than `limit` in this window.

    If the cache is down the attempt is allowed: a limit must never turn away honest
    readers, and what they send still goes through moderation or validation.
    """
    if not value:
        return True
    return allow_key(window_key(kind, value, window), limit, window + 30)


def allow_key(key, limit, lifetime):
    """Count one attempt on a window's counter (window_key) that lives `lifetime` seconds."""
    count_in_one_trip = getattr(cache, "count", None)  # the Redis backend's (canary.cache_backend)
    if count_in_one_trip is not None:
        count = count_in_one_trip(key, lifetime)
        return count is None or count <= limit
    cache.add(key, 0, lifetime)
    try:
        count = cache.incr(key)
    except ValueError:
        return True
    return count <= limit
