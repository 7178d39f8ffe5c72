"""The newsroom's figures, from the hourly tallies: a fixed number of queries, whatever the archive."""

from datetime import UTC, datetime, timedelta

from django.db.models import Sum
from django.utils import timezone

from articles.models import Article

from . import counting
from .models import Metric, Source, Tally

MOST_READ = 10


def _total(rows):
    return rows.aggregate(total=Sum("count"))["total"] or 0


def now_figures(now):
    """This hour, the last, today by hour, the most read of the last two hours and today's sources."""
    zone = timezone.get_default_timezone()
    this_hour = datetime.fromtimestamp(counting.hour_of(now), UTC)
    last_hour = this_hour - timedelta(hours=1)
    today = now.astimezone(zone).date()
    views = Tally.objects.filter(metric=Metric.VIEW)
    by_hour = dict(views.filter(day=today).values_list("hour").annotate(Sum("count")))
    hours = []
    hour = datetime.combine(today, datetime.min.time(), zone).astimezone(UTC)
    while hour.astimezone(zone).date() == today and hour <= this_hour:
        hours.append((hour.astimezone(zone), by_hour.get(hour, 0)))
        hour += timedelta(hours=1)
    top = list(
        views.filter(hour__gte=last_hour, article__isnull=False)
        .values_list("article")
        .annotate(total=Sum("count"))
        .order_by("-total", "article")[:MOST_READ]
    )
    articles = Article.objects.only("headline", "slug", "published_at").in_bulk(
        [article for article, _ in top]
    )
    sources = dict(views.filter(day=today).values_list("source").annotate(Sum("count")))
    return {
        "this_hour": by_hour.get(this_hour, 0),
        "last_hour": _total(views.filter(hour=last_hour)),  # it may be yesterday's
        "today": sum(by_hour.values()),
        "hours": hours,
        "most_read": [(articles[article], total) for article, total in top if article in articles],
        "sources": [(label, sources.get(value, 0)) for value, label in Source.choices],
    }
