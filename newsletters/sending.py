"""Starting, pausing, resuming and reclaiming a send: the audience frozen once, in batches.

Freezing writes every batch and delivery row, and a task per batch, in the transaction that
moves the issue to "sending": the task backend writes its rows on the same connection, so an
issue is either sending with all its batches queued, or still a draft. Nothing here holds a
lock a reader or an editor waits on: the only row locked is the issue's own.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import audience
from .exceptions import NotSendable
from .models import Batch, Delivery, Issue, IssueLink
from .models.deliveries import abandon

logger = logging.getLogger("canary.newsletters")


def start(issue, now=None):
    """Send the issue now: freeze its audience into batches and queue them. Returns its size."""
    now = now or timezone.now()
    with transaction.atomic():
        issue.start(now)
        IssueLink.carry(issue)
        count = freeze(issue, now)
        Issue.objects.filter(pk=issue.pk).update(recipients=count)
        issue.recipients = count
        if count == 0:
            issue.finish(now)
        queue(Batch.objects.filter(issue=issue))
    return count


def freeze(issue, now):
    """Write the batches and their deliveries, NEWSLETTER_BATCH_SIZE recipients a batch."""
    size = settings.NEWSLETTER_BATCH_SIZE
    count, number, chunk = 0, 0, []

    def write(chunk, number):
        batch = Batch.objects.create(issue=issue, number=number)
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, batch=batch, subscriber_id=subscriber.pk) for subscriber in chunk]
        )

    for subscriber in audience.recipients(issue.newsletter, now):
        chunk.append(subscriber)
        count += 1
        if len(chunk) == size:
            number += 1
            write(chunk, number)
            chunk = []
    if chunk:
        write(chunk, number + 1)
    return count


def queue(batches):
    from .sender import send_batch

    for pk in batches.unfinished().values_list("pk", flat=True):
        send_batch.enqueue(pk)


def pause(issue):
    """Workers finish the message in hand, record it and give their batches back."""
    issue.pause()


def resume(issue):
    """Every unfinished batch gets a task, even one a worker still holds: that worker may be
    giving it back at this moment, and a task that finds a batch taken simply ends."""
    with transaction.atomic():
        issue.resume()
        queue(Batch.objects.filter(issue=issue))


def reclaim_expired_batches(now=None):
    """Batches whose worker died (or hangs) past its lease: released and given a new task.

    The task backend never takes back a task whose worker died, so the batch's own lease says
    when it is free. A worker that was only slow finds its claim gone at its next renewal and
    stops; until then it may send the messages it has in hand, which is what may go twice.
    """
    from .sender import send_batch

    now = now or timezone.now()
    handed = 0
    lapsed = Batch.objects.expired(now).filter(issue__status=Issue.Status.SENDING)
    for pk, attempts in lapsed.values_list("pk", "attempts"):
        if attempts >= settings.TASK_RETRY_LIMIT:
            # Its workers keep dying on it: one bad batch must not hold the issue open forever.
            abandon(pk, f"Given up after {attempts} workers were lost on it.")
            continue
        with transaction.atomic():
            # Only if the lease is still lapsed: a worker that renewed meanwhile keeps its batch.
            released = (
                Batch.objects.expired(now)
                .filter(pk=pk)
                .update(
                    state=Batch.State.WAITING,
                    claim="",
                    lease_until=None,
                    last_error="The worker's lease ran out.",
                )
            )
            if released:
                send_batch.enqueue(pk)
                handed += 1
    if handed:
        logger.warning("Newsletters: %s batch(es) whose worker was lost handed to a new task", handed)
    for issue_id in Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True):
        Issue.finish_if_done(issue_id, now)
    return handed


def start_due_issues(now=None):
    """Scheduled issues whose time has come start sending."""
    now = now or timezone.now()
    started = 0
    for issue in Issue.objects.due(now).select_related("newsletter"):
        try:
            start(issue, now)
        except NotSendable:  # an editor started or cancelled it a moment ago
            continue
        started += 1
    return started
