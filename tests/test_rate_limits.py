"""The counters behind the limits on searches, comments, sign-ins and donations, on Redis."""

from django.core.cache import cache

from core.ratelimit import allow


def test_a_reader_over_the_limit_is_refused_until_the_window_ends(on_redis, fresh_minute):
    assert [allow("search:ip", "192.0.2.7", 3) for _ in range(4)] == [True, True, True, False]
    assert allow("search:ip", "192.0.2.8", 3)  # another address counts on its own


def test_each_count_on_redis_is_one_counter_that_expires(on_redis):
    key = "ratelimit:test:192.0.2.9:1"
    assert [cache.count(key, 90) for _ in range(3)] == [1, 2, 3]
    client = cache._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_key(key)) <= 90  # never a counter that outlives its window
    assert cache.get(key) == 3  # still readable through Django's cache API
