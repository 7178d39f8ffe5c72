"""Purging changed pages at the CDN: tags queued with the change, sent by the worker in one request.

A change writes its tags (core.models.PendingPurge) in its own transaction and, once it commits,
enqueues ``purge_due`` a few seconds ahead, so the tags of an editor's burst of saves go out
together. The task takes every due tag under a short lease, sends them in chunks the CDN
accepts, and deletes what was accepted. A failure keeps the rows and tries again later: after
a 429 when Retry-After says, otherwise with a doubling back-off; after CDN_PURGE_RETRY_LIMIT
tries the tags are dropped (the short-lived shared max-age bounds how stale a page can be),
except a withdrawal's, which ends in a purge of everything and an ERROR in the log.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core import cache_tags
from core.models import PendingPurge

from . import cdn_api

logger = logging.getLogger("canary.cdn")

# A worker holds the tags it took this long; one that dies mid-send leaves them to the next run.
LEASE_SECONDS = 120
# At most this many tags in one run; more are left due, for the next run.
BATCH = 2000
# More tags than fit in this many calls are sent as one purge of "site", which every page carries.
MAX_CALLS = 5


def enabled():
    return bool(settings.CDN_PURGE)


def queue(tags, urgent=False, now=None):
    """Purge these tags at the CDN once the current transaction commits (nothing without CDN_PURGE)."""
    tags = [tag for tag in dict.fromkeys(tags) if tag]
    if not enabled() or not tags:
        return
    due = (now or timezone.now()) + timedelta(seconds=settings.CDN_PURGE_DELAY)
    PendingPurge.objects.bulk_create(PendingPurge(tag=tag, due_at=due, urgent=urgent) for tag in tags)
    transaction.on_commit(lambda: purge_due.using(run_after=due).enqueue())


@task()
def purge_due():
    return send_due()


def backoff(attempts):
    return min(settings.CDN_PURGE_FIRST_RETRY * 2 ** max(0, attempts - 1), settings.TASK_RETRY_MAX_DELAY)


def _take(now):
    with transaction.atomic():
        rows = list(
            PendingPurge.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now)
            .order_by("id")[:BATCH]
        )
        PendingPurge.objects.filter(pk__in=[r.pk for r in rows]).update(
            due_at=now + timedelta(seconds=LEASE_SECONDS)
        )
    return rows


def send_due(now=None):
    """Send every due tag; returns what happened, for the worker's log and the tests."""
    if not enabled():
        return "disabled"
    now = now or timezone.now()
    rows = _take(now)
    if not rows:
        return "nothing due"
    tags = list(dict.fromkeys(row.tag for row in rows))
    size = cdn_api.chunk_size()
    collapsed = cache_tags.EVERY_PAGE in tags or len(tags) > MAX_CALLS * size
    if collapsed:
        # Every page carries "site": one call instead of many (an import, a renamed section).
        tags = [cache_tags.EVERY_PAGE]
    sent = set()
    for start in range(0, len(tags), size):
        chunk = tags[start : start + size]
        try:
            cdn_api.purge_tags(chunk)
        except cdn_api.PurgeFailed as error:
            done = {row.pk for row in rows if not collapsed and row.tag in sent}
            PendingPurge.objects.filter(pk__in=done).delete()
            return _failed([row for row in rows if row.pk not in done], error, now)
        sent.update(chunk)
    PendingPurge.objects.filter(pk__in=[r.pk for r in rows]).delete()
    logger.info("CDN purged %s tags", len(tags))
    return "purged"


def _failed(rows, error, now):
    attempts = max(row.attempts for row in rows) + 1
    ids = [row.pk for row in rows]
    if attempts >= settings.CDN_PURGE_RETRY_LIMIT:
        PendingPurge.objects.filter(pk__in=ids).delete()
        urgent = sorted({row.tag for row in rows if row.urgent})
        if not urgent:
            logger.warning("CDN purge of %s tags given up after %s tries: %s", len(rows), attempts, error)
            return "gave up"
        return _purge_everything(urgent, error)
    delay = error.retry_after if isinstance(error, cdn_api.RateLimited) else backoff(attempts)
    due = now + timedelta(seconds=delay)
    logger.warning("CDN purge failed (try %s, again in %s s): %s", attempts, delay, error)
    with transaction.atomic():
        PendingPurge.objects.filter(pk__in=ids).update(attempts=attempts, due_at=due)
        purge_due.using(run_after=due).enqueue()
    return "will retry"


def _purge_everything(tags, error):
    """A withdrawn story must not stay at the CDN: forget every page, and tell a person."""
    try:
        cdn_api.purge_everything()
    except cdn_api.PurgeFailed as second:
        logger.error(
            "CDN purge of a withdrawal (%s) kept failing (%s) and purging everything failed too "
            "(%s): purge the CDN by hand now",
            " ".join(tags),
            error,
            second,
        )
        return "failed"
    logger.error(
        "CDN purge of a withdrawal (%s) kept failing (%s): purged everything instead", " ".join(tags), error
    )
    return "purged everything"
