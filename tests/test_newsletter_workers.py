"""Worker processes share a send, and a send survives a worker killed in the middle of it.

The workers are real processes on a database of their own (a scratch PostgreSQL database with
DATABASE_URL, else an SQLite file), sending to a real SMTP server in this process.
"""

import json
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from bench.servers import production_env
from tests import scratch_databases
from tests.mail_server import SlowInbox, free_port

READERS = 2000
RECORD_EVERY = 20

SEED = f"""
import django
django.setup()
from newsletters import sending
from newsletters.factories import make_issue, make_newsletter
from newsletters.models import Subscriber, Subscription
letter = make_newsletter()
Subscriber.objects.bulk_create([Subscriber(email=f"reader{{n:04d}}@example.com") for n in range({READERS})])
Subscription.objects.bulk_create(
    [Subscription(subscriber=s, newsletter=letter, status="subscribed") for s in Subscriber.objects.all()]
)
print(sending.start(make_issue(letter)))
"""

REPORT = """
import django, json
django.setup()
from django_tasks_db.models import DBTaskResult
from newsletters.models import Delivery
from newsletters.models import Issue
sent_by = [ids[-1] for ids in DBTaskResult.objects.filter(return_value="sent").values_list("worker_ids", flat=True)]
print(json.dumps({"deliveries": Delivery.objects.counts(), "issue": Issue.objects.get().status, "sent_by": sent_by}))
"""


@pytest.fixture
def scratch_database():
    with scratch_databases.scratch_database("sending") as url:
        yield url


def sink(pause):
    inbox = SlowInbox(pause)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox


def site(tmp_path, database, controller, **extra):
    env = production_env(
        tmp_path,
        EMAIL_URL=f"smtp://127.0.0.1:{controller.port}",
        NEWSLETTER_BATCH_SIZE=100,
        NEWSLETTER_RECORD_EVERY=RECORD_EVERY,
        CACHE_KEY_PREFIX=f"sending-{secrets.token_hex(4)}",
        **extra,
    )
    if database:
        env["DATABASE_URL"] = database
    run(env, [sys.executable, "manage.py", "migrate", "--noinput", "-v0"])
    assert run(env, [sys.executable, "-c", SEED]) == str(READERS)
    return env


def run(env, command):
    done = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def worker(env, name, *options):
    return subprocess.Popen(
        [sys.executable, "manage.py", *options, "--no-startup-delay", "--worker-id", name],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def report(env):
    return json.loads(run(env, [sys.executable, "-c", REPORT]))


def readers(inbox):
    return Counter(address for message in inbox.messages for address in message.recipients)


def test_two_workers_deliver_a_send_of_2000_to_each_reader_exactly_once(tmp_path, scratch_database):
    controller, inbox = sink(0.001)
    try:
        env = site(tmp_path, scratch_database, controller)
        first = worker(env, "first", "db_worker", "--batch")
        second = worker(env, "second", "db_worker", "--batch")
        assert first.wait(180) == 0 and second.wait(180) == 0
    finally:
        controller.stop()
    received = readers(inbox)
    assert len(received) == READERS and set(received.values()) == {1}
    state = report(env)
    assert state["deliveries"]["sent"] == READERS and state["issue"] == "sent"
    assert Counter(state["sent_by"]).keys() == {"first", "second"}  # both did a share


def test_a_worker_killed_mid_send_is_followed_by_one_that_finishes_it(tmp_path, scratch_database):
    controller, inbox = sink(0.002)
    fresh = None
    try:
        env = site(
            tmp_path,
            scratch_database,
            controller,
            NEWSLETTER_LEASE_SECONDS=3,
            NEWSLETTER_RECLAIM_SECONDS=1,
            CLOCK_TICK_SECONDS=1,
        )
        doomed = worker(env, "doomed", "worker")
        deadline = time.monotonic() + 120
        while len(inbox.messages) < 250 and time.monotonic() < deadline:
            time.sleep(0.005)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        sent_before = len(inbox.messages)
        assert 250 <= sent_before < READERS, "the first worker must die in the middle of the send"
        fresh = worker(env, "fresh", "worker")
        while len(readers(inbox)) < READERS and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # anything more it would send
    finally:
        if fresh is not None:
            fresh.terminate()
            fresh.wait(20)
        controller.stop()
    received = readers(inbox)
    assert len(received) == READERS  # nobody skipped
    twice = [address for address, count in received.items() if count > 1]
    # Only the messages the dead worker had sent and not yet recorded go again: fewer than a
    # recording's worth, all from the one batch it held.
    assert len(twice) <= RECORD_EVERY and max(received.values()) <= 2
    assert len({int(address[6:10]) // 100 for address in twice}) <= 1
    state = report(env)
    assert state["deliveries"]["sent"] == READERS and state["issue"] == "sent"
