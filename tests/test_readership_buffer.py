"""The beacon buffer: a process's beacons sent to Redis together, about once a second.

The abuse first: a client over its per-minute limit must stay over it however its beacons are
grouped; a flood of made-up paths must not grow a process's memory without end; Redis going
away at the moment of sending must not lose the counts; a server stopped gracefully must not
lose the beacons it was holding.
"""

import http.client
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import redis as redis_client

from articles.factories import make_article
from bench.servers import Gunicorn, production_env
from readership import buffer, counting
from tests import test_faults
from tests.test_readership_counting import BEACON, BROWSER, beacon, fold, reader, views

pytestmark = pytest.mark.django_db
redis_cache = test_faults.redis_cache  # a Redis of the test's own


@pytest.fixture(autouse=True)
def buffered(settings):
    """Beacons held for a minute unless a test says otherwise: the test decides when they go."""
    settings.READERSHIP_BUFFER_MS = 60_000
    next_wait()
    counting.beacons.take()
    counting.local.take()
    yield
    counting.beacons.take()
    counting.local.take()


def next_wait():
    """Has a sender an earlier test left waiting start its next wait at this test's interval."""
    sender = counting.beacons.sender
    if sender is None or not sender.is_alive():
        return
    counting.beacons.wake.set()
    while counting.beacons.wake.is_set():
        time.sleep(0.01)
    time.sleep(0.05)  # past its (empty) send, into the new wait


def in_redis():
    return sum(counting.pending_counts().values())


def eventually(check, seconds=5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_beacons_wait_in_the_process_and_reach_redis_together(on_redis):
    article = make_article()
    for address in ("192.0.2.1", "192.0.2.1", "192.0.2.2"):
        assert beacon(reader(REMOTE_ADDR=address), article.get_absolute_url()).status_code == 204
    assert in_redis() == 0
    counting.beacons.flush()
    assert in_redis() == 3
    fold()
    assert views(article) == 3


def test_the_sender_thread_sends_them_with_no_request_to_carry_them(on_redis, settings):
    settings.READERSHIP_BUFFER_MS = 200
    next_wait()
    article = make_article()
    for _ in range(3):
        beacon(reader(), article.get_absolute_url())
    assert eventually(lambda: in_redis() == 3)


def test_a_full_buffer_goes_before_its_time(on_redis, settings):
    settings.READERSHIP_BATCH_SIZE = 4
    article = make_article()
    for _ in range(3):
        beacon(reader(), article.get_absolute_url())
    time.sleep(0.3)
    assert in_redis() == 0  # three of four: still waiting for its minute
    beacon(reader(), article.get_absolute_url())
    assert eventually(lambda: in_redis() == 4)


def test_a_clients_limit_holds_however_its_beacons_are_grouped(on_redis, settings, fresh_minute):
    settings.READERSHIP_RATE_LIMIT = 3
    article = make_article()
    greedy = reader(REMOTE_ADDR="192.0.2.40")
    for _ in range(2):
        beacon(greedy, article.get_absolute_url())
    counting.beacons.flush()
    for _ in range(5):
        assert beacon(greedy, article.get_absolute_url()).status_code == 204
    beacon(reader(REMOTE_ADDR="192.0.2.41"), article.get_absolute_url())  # another reader counts
    counting.beacons.flush()
    fold()
    assert views(article) == 4


def test_redis_away_when_they_are_sent_puts_them_in_the_database_batch(redis_cache):
    article = make_article()
    for _ in range(3):
        beacon(reader(), article.get_absolute_url())
    redis_cache.stop()
    counting.beacons.flush()
    counting.local.flush(datetime.now(UTC))
    assert views(article) == 3


def test_a_flood_of_made_up_paths_is_answered_but_memory_stays_bounded(on_redis, monkeypatch):
    monkeypatch.setattr(buffer, "MOST_ENTRIES", 5)
    article = make_article()
    url = article.get_absolute_url()
    client = reader()
    assert beacon(client, url).status_code == 204
    for number in range(8):
        assert beacon(client, f"/made-up-{number}/").status_code == 204
    assert beacon(client, url).status_code == 204  # a page already held still counts
    assert len(counting.beacons.entries) == 5
    counting.beacons.flush()
    assert in_redis() == 6
    fold()
    assert views(article) == 2


def post_beacon(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = urlencode({"e": "view", "p": path, "r": "www.google.co.uk"})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": BROWSER}
        connection.request("POST", BEACON, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Set-Cookie")
    finally:
        connection.close()


def test_a_real_server_holds_beacons_and_sends_them_when_full_or_stopped(redis_cache, tmp_path):
    """gunicorn with canary.wsgi, so the beacon is answered ahead of Django (readership/wsgi.py)."""
    env = production_env(
        tmp_path,
        REDIS_URL=redis_cache.url,
        STATIC_MANIFEST="0",
        READERSHIP_BUFFER_MS="60000",
        READERSHIP_BATCH_SIZE="10",
        READERSHIP_RATE_LIMIT="1000",
    )
    store = redis_client.Redis.from_url(redis_cache.url)

    def counted():
        return sum(
            int(value)
            for key in store.keys("*readership:pending")
            for field, value in store.hgetall(key).items()
            if not field.startswith(b"#")
        )

    with Gunicorn(env, workers=1, probe=BEACON) as server:
        for _ in range(10):
            assert post_beacon(server.port, "/2026/12/a-story/") == (204, None)
        assert eventually(lambda: counted() == 10)  # ten: a full batch, sent at once
        for _ in range(5):
            post_beacon(server.port, "/2026/12/a-story/")
        time.sleep(1)
        assert counted() == 10  # five wait for their minute...
    assert counted() == 15  # ...and a graceful stop sends them
