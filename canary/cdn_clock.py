"""Purging the CDN at each moment content changes by the clock alone (a scheduled story going
out, a pin ending, comments closing, an appeal's window): no save happens then, so no signal.

Each minute the clock looks up the next such moment (the page cache's own PAGE_CACHE_SCHEDULES)
and books a dated job for it, once per moment; at that moment the job queues a purge of every
page. Shared copies carry an s-maxage that ends there too, so this is the second of two locks.
The same job hands a task to tags a worker left behind when it died mid-send.
"""

from django.conf import settings
from django.utils import timezone

from core import cache_tags
from core.clock import every, job, schedule
from core.models import PendingPurge

from . import cdn_purge
from .page_cache import next_scheduled_change

MOMENT_JOB = "canary.cdn_clock_moment"


@every("canary.cdn_clock_plan", seconds=settings.CDN_CLOCK_SECONDS)
def plan_clock_purges(due_at):
    if not cdn_purge.enabled():
        return
    # Tags left by a worker that died mid-send (their lease is over) get a task of their own.
    if PendingPurge.objects.filter(due_at__lte=timezone.now()).exists():
        cdn_purge.purge_due.enqueue()
    moment = next_scheduled_change()
    if moment is not None:
        schedule(MOMENT_JOB, moment, key=moment.isoformat())


@job(MOMENT_JOB)
def purge_at_moment(due_at):
    cdn_purge.queue([cache_tags.EVERY_PAGE])
