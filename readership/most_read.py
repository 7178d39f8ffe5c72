"""Readers' "Most read": the stories viewed most in the last 24 hours.

The ranking is worked out once a period (READERSHIP_MOST_READ_SECONDS, cut on the wall
clock so every worker agrees when one ends) and kept in the shared cache for that period.
The stories themselves are read on each render, so a story withdrawn or renamed meanwhile is
never shown as it was. A page showing the list tells the page cache it changes when the
period ends (core.page_lifetime). Until there are counts, the newest stories fill the list.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils import timezone
from jinja2 import pass_context

from articles.models import Article
from core import page_lifetime

from . import counting
from .models import Metric, Tally

RANKING_KEY = "readership:most-read:{seconds}:{start}"
# Ranked a few more than shown, so a story withdrawn within the period leaves no gap.
SPARE = 5


@dataclass
class MostRead:
    stories: list = field(default_factory=list)
    counted: bool = False  # False: no counts yet, these are the newest stories

    @property
    def heading(self):
        return "Most read" if self.counted else "Just published"


def length():
    return max(1, min(settings.READERSHIP_MOST_READ_LENGTH, 20))


def period(now):
    """The start and end (Unix times) of the period `now` falls in."""
    seconds = max(1, min(settings.READERSHIP_MOST_READ_SECONDS, 3600))
    start = int(now.timestamp()) // seconds * seconds
    return seconds, start, start + seconds


def ranking(now):
    """[(article id, views)] for the 24 hours up to the start of this period, most viewed first."""
    seconds, start, end = period(now)
    key = RANKING_KEY.format(seconds=seconds, start=start)
    ranked = cache.get(key)
    if ranked is None:
        # 24 hourly tallies: the one the period starts in and the 23 before it.
        since = datetime.fromtimestamp(counting.hour_of(datetime.fromtimestamp(start, UTC)), UTC)
        ranked = list(
            Tally.objects.filter(
                metric=Metric.VIEW, hour__gte=since - timedelta(hours=23), article__isnull=False
            )
            .values_list("article")
            .annotate(views=Sum("count"))
            .order_by("-views", "article")[: length() + SPARE]
        )
        cache.set(key, ranked, max(1, end - int(now.timestamp())))
    return ranked


def most_read(now=None):
    """The list as readers see it: ranked stories still published, then the newest to fill it."""
    now = now or timezone.now()
    ranked = dict(ranking(now))
    published = Article.objects.published(now).only("headline", "slug", "published_at")
    newest = published.order_by("-published_at", "-id").values("pk")[: length()]
    # One query: the ranked stories and the newest, put in order here.
    found = list(published.filter(Q(pk__in=list(ranked)) | Q(pk__in=newest)).order_by())
    found.sort(key=lambda a: (-ranked.get(a.pk, 0), -a.published_at.timestamp(), -a.pk))
    stories = found[: length()]
    return MostRead(stories=stories, counted=any(a.pk in ranked for a in stories))


def for_page(request, now=None):
    """The list, and the page showing it marked as changing when this period ends."""
    now = now or timezone.now()
    page_lifetime.keep_until(request, period(now)[2])
    return most_read(now)


@pass_context
def most_read_on_page(context):
    """For reader templates (canary/templating.py): the list for the page being rendered."""
    return for_page(context.get("request"))
