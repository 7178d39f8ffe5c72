"""The daily (or weekly) digest: an issue that builds itself from the stories published since
the last one, pinned stories first, and is not sent when there is nothing new.

The clock asks every minute which scheduled letters are due today at their London time and
schedules one occurrence per letter per day (core.clock's (job, key) is unique, so however
many workers tick, and however often, a day's digest is built once); that occurrence builds
the issue and starts its send in the clock's transaction, so a digest is either built and
sending, or not at all and tried again.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from articles.models import Article
from articles.models.article import pinned_now

from . import sending
from .models import Issue, Newsletter, Story

LONDON = ZoneInfo("Europe/London")
DIGEST_JOB = "newsletters.digest"
MOST_STORIES = 12
# What a forced digest carries when nothing is new: the latest few.
LATEST = 5
# A story given its publication time just before a digest was built, but committed just after,
# is in neither that digest nor, by its time, the next. So each digest looks back this far before
# the last one's end too, leaving out what an earlier digest already carried.
LATE_COMMIT = timedelta(hours=1)


def last_digest(newsletter):
    return (
        Issue.objects.filter(newsletter=newsletter, digest=True)
        .exclude(status=Issue.Status.CANCELLED)
        .order_by("-covers_until")
        .first()
    )


def stories_since(since, now):
    """Published after `since` and by `now`: pinned ones first, then the newest."""
    pinned = ~Q(placement="") & pinned_now(now)
    return (
        Article.objects.published(now)
        .filter(published_at__gt=since)
        .select_related("featured_image")
        .annotate(pinned=Case(When(pinned, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-pinned", "-published_at", "-id")
    )


def build(newsletter, now=None, force=False):
    """A digest issue of what is new since the last digest, or None when nothing is new.

    The first digest of a letter looks back one period (a day, or a week for a weekly one).
    With force a digest is built even when nothing is new, carrying the latest stories.
    """
    now = now or timezone.now()
    last = last_digest(newsletter)
    period = timedelta(days=7 if newsletter.schedule == Newsletter.Schedule.WEEKLY else 1)
    since = last.covers_until - LATE_COMMIT if last else now - period
    carried = (
        Story.objects.filter(issue__newsletter=newsletter, issue__digest=True, issue__covers_until__gt=since)
        .exclude(issue__status=Issue.Status.CANCELLED)
        .values("article_id")
    )
    articles = list(stories_since(since, now).exclude(pk__in=carried)[:MOST_STORIES])
    if not articles:
        if not force:
            return None
        articles = list(
            Article.objects.published(now).select_related("featured_image").order_by("-published_at")[:LATEST]
        )
    day = now.astimezone(LONDON)
    lead = articles[0].headline if articles else "the latest from the newsroom"
    more = len(articles) - 1
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject=f"{newsletter.name}, {day.day} {day:%B}: {lead}"[:200],
        preheader=f"And {more} more {'story' if more == 1 else 'stories'} from the newsroom."
        if more > 0
        else "",
        digest=True,
        covers_until=now,
    )
    Story.objects.bulk_create([Story.from_article(issue, article, n) for n, article in enumerate(articles)])
    return issue


def send(newsletter, now=None, force=False):
    """Build the digest and start sending it; the issue, or None when nothing was new."""
    now = now or timezone.now()
    with transaction.atomic():
        issue = build(newsletter, now, force)
        if issue is not None:
            sending.start(issue, now)
    return issue


def due_today(newsletter, now):
    """When the letter is due today (London), or None if not today."""
    if newsletter.send_time is None or newsletter.schedule == Newsletter.Schedule.MANUAL:
        return None
    local = now.astimezone(LONDON)
    if newsletter.schedule == Newsletter.Schedule.WEEKLY and local.weekday() != newsletter.weekday:
        return None
    return datetime.combine(local.date(), newsletter.send_time, tzinfo=LONDON)


def send_due_digests(now=None):
    """Schedule today's digest of every letter whose time has come, once per letter and day."""
    from core.clock import schedule

    now = now or timezone.now()
    scheduled = 0
    for newsletter in Newsletter.objects.exclude(schedule=Newsletter.Schedule.MANUAL):
        due = due_today(newsletter, now)
        if due is None or due > now:
            continue
        key = f"{newsletter.pk}:{due.date().isoformat()}"
        schedule(DIGEST_JOB, due, key=key, params={"newsletter": newsletter.pk})
        scheduled += 1
    return scheduled
