"""NEWSLETTER_MAX_RATE holds across workers: the sum of what they all send in a second never
passes it, whether they count in Redis or in the database.

The first test runs two throttles on an injected clock, so it counts exactly; the second runs
two real worker processes sending to a real SMTP server and counts arrivals per second there.
A message may arrive in a later second than the one it was counted in (a busy machine), but
each worker sends one message at a time, so at most one per worker is late: the margin is the
number of workers, however loaded the machine.
"""

import math
import random
import sys
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache

from newsletters.models import SendingSecond
from newsletters.throttle import Throttle
from tests import scratch_databases
from tests.mail_server import Inbox, free_port
from tests.test_newsletter_workers import report, run, worker

RATE = 3


class Clock:
    """A clock that only moves when somebody waits on it."""

    def __init__(self):
        # A second far from now and from other runs: Redis keeps a second's count a few seconds.
        self.now = 4_000_000_000.0 + random.randrange(10**6) * 10

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture(params=["database", "shared cache"])
def counter(request, settings):
    if request.param == "database":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    else:
        # Redis runs on every machine, so the shared counter is tested on every suite.
        request.getfixturevalue("on_redis")
        assert getattr(cache, "count", None) is not None
    return request.param


@pytest.mark.django_db
def test_two_workers_together_never_pass_the_rate(counter):
    clock = Clock()
    workers = [Throttle(RATE, clock=clock.time, sleep=clock.sleep) for _ in range(2)]
    sent = Counter()
    for n in range(20):
        workers[n % 2].wait()  # the two take turns, each waiting on the other's count too
        sent[int(clock.time())] += 1
    assert set(sent.values()) <= {1, 2, RATE} and max(sent.values()) == RATE
    assert sum(sent.values()) == 20 and len(sent) == 7  # 3 a second: 20 messages need 7 seconds
    if counter == "database":
        assert SendingSecond.objects.filter(second__gte=int(clock.now) - 60).count() == 7


@pytest.mark.django_db
def test_no_rate_means_no_wait():
    clock = Clock()
    before = clock.time()
    throttle = Throttle(0, clock=clock.time, sleep=clock.sleep)
    for _ in range(100):
        throttle.wait()
    assert clock.time() == before and SendingSecond.objects.count() == 0


READERS = 30
PROCESS_RATE = 5

SEED = f"""
import django
django.setup()
from newsletters import sending
from newsletters.factories import make_issue, make_newsletter, subscribed
letter = make_newsletter()
for n in range({READERS}):
    subscribed(letter, f"reader{{n:02d}}@example.com")
print(sending.start(make_issue(letter)))
"""


class TimedInbox(Inbox):
    def __init__(self):
        super().__init__()
        self.arrivals = []

    async def handle_DATA(self, server, session, envelope):
        self.arrivals.append(time.time())
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def scratch_database():
    with scratch_databases.scratch_database("rate") as url:
        yield url


def test_two_worker_processes_share_the_rate(tmp_path, scratch_database):
    from bench.servers import production_env

    inbox = TimedInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = production_env(
            tmp_path,
            EMAIL_URL=f"smtp://127.0.0.1:{controller.port}",
            NEWSLETTER_BATCH_SIZE=5,
            NEWSLETTER_MAX_RATE=PROCESS_RATE,
            CACHE_KEY_PREFIX=f"rate-{random.randrange(10**9)}",
        )
        if scratch_database:
            env["DATABASE_URL"] = scratch_database
        run(env, [sys.executable, "manage.py", "migrate", "--noinput", "-v0"])
        assert run(env, [sys.executable, "-c", SEED]) == str(READERS)
        first = worker(env, "first", "db_worker", "--batch")
        second = worker(env, "second", "db_worker", "--batch")
        assert first.wait(120) == 0 and second.wait(120) == 0
    finally:
        controller.stop()
    state = report(env)
    assert state["deliveries"]["sent"] == READERS
    assert set(state["sent_by"]) == {"first", "second"}  # both sent, so both counted
    per_second = Counter(int(at) for at in inbox.arrivals)
    assert max(per_second.values()) <= PROCESS_RATE + 2, per_second
    assert len(per_second) >= math.ceil(READERS / (PROCESS_RATE + 2))
