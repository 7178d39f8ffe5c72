"""A batch's lease holds for as long as its worker is still sending, however slowly the messages
go: it is renewed by time as well as by count. Another worker that tries the batch meanwhile
does not get it, and no reader gets two copies; a worker stalled past its lease sends nothing
more once it wakes.

The server takes its time on the lease's clock (the `clock` that sender.send reads), moved on
as each message is handed over, so a send of minutes takes a moment of the test's own.
"""

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from newsletters import sender, sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.models import Batch, Delivery, Issue
from tests import mail_server

pytestmark = pytest.mark.django_db(transaction=True)  # the other worker's thread sees commits only

LEASE = 30


class Clock:
    """The time as the workers read it; only the server moves it on."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now


class SlowRelay(mail_server.SlowInbox):
    """A relay that takes `seconds(n)` of the clock over the nth message, and while it holds a
    message, has another worker (`meanwhile`, in a thread of its own) try the batch. The other
    worker's own messages pass without either, so one try cannot start another."""

    def __init__(self, clock, seconds, meanwhile):
        super().__init__(pause=0.001)
        self.clock, self.seconds, self.meanwhile = clock, seconds, meanwhile
        self.tries = []
        self.busy = False

    async def handle_DATA(self, server, session, envelope):
        if not self.busy:
            self.busy = True
            try:
                self.clock.now += timedelta(seconds=self.seconds(len(self.tries) + 1))
                self.tries.append(await asyncio.to_thread(self.meanwhile))
            finally:
                self.busy = False
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_relay(settings):
    settings.NEWSLETTER_LEASE_SECONDS = LEASE
    settings.NEWSLETTER_RECORD_EVERY = 20
    servers = []

    def start(seconds, meanwhile):
        relay = SlowRelay(Clock(), seconds, meanwhile)
        servers.append(mail_server.start(settings, relay)[0])
        return relay

    yield start
    for controller in servers:
        controller.stop()


def another_worker(batch_id, clock):
    """What a second worker does with the batch's task: try to take it and send it."""

    def tries():
        try:
            return sender.send(batch_id, clock=clock), Delivery.objects.filter(status="sent").count()
        finally:
            connection.close()  # the thread's own connection

    return tries


def readers(relay):
    return Counter(address for message in relay.messages for address in message.recipients)


def test_a_slow_server_keeps_the_lease_and_the_batch_goes_once_to_each_reader(slow_relay):
    """Twelve messages of twelve seconds each pass the 30-second lease four times over, well
    short of the twenty messages that renew it by count."""
    letter = make_newsletter()
    for n in range(12):
        subscribed(letter, f"reader{n:02d}@example.com")
    issue = make_issue(letter)
    sending.start(issue)
    batch = Batch.objects.get(issue=issue)
    relay = slow_relay(lambda n: 12, None)
    relay.meanwhile = another_worker(batch.pk, relay.clock)

    assert sender.send(batch.pk, clock=relay.clock) == "sent"

    assert relay.clock() - timezone.now() > timedelta(seconds=4 * LEASE)  # the send took minutes
    assert [result for result, _ in relay.tries] == ["taken"] * 12  # tried at every message
    assert readers(relay) == Counter({f"reader{n:02d}@example.com": 1 for n in range(12)})
    # What went is recorded as it goes, not only at the end: the progress bar moves.
    assert relay.tries[-1][1] >= 10
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_worker_stalled_past_its_lease_stops_before_its_next_message(slow_relay, settings):
    """The server holds the first message 45 seconds, past the lease, and another worker takes
    the batch over meanwhile and sends it. The first learns it lost the batch before sending
    again: only the message it had on the wire goes twice."""
    settings.NEWSLETTER_BATCH_SIZE = 5
    letter = make_newsletter()
    for n in range(10):
        subscribed(letter, f"reader{n:02d}@example.com")
    issue = make_issue(letter)
    sending.start(issue)
    first, second = Batch.objects.filter(issue=issue).order_by("number")
    relay = slow_relay(lambda n: 45 if n == 1 else 1, None)
    relay.meanwhile = another_worker(first.pk, relay.clock)

    assert sender.send(first.pk, clock=relay.clock) == "lost"

    assert relay.tries[0][0] == "sent"  # the lease had run out: the other worker took it over
    in_first = sorted(Delivery.objects.filter(batch=first).values_list("subscriber__email", flat=True))
    received = readers(relay)
    assert sorted(received) == in_first  # the second batch is its own task's, untouched
    assert [address for address, count in received.items() if count > 1] == [in_first[0]]
    assert Delivery.objects.filter(batch=first).counts()["sent"] == 5
    assert Batch.objects.get(pk=second.pk).state == Batch.State.WAITING
