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


STORY_HOURS = 48  # a story is read most in its first two days: those by the hour, then by day
STORY_DAYS = 60


def story_figures(article, now):
    """One story since publication: views by the hour (first two days) and by London day after,
    read-through, and sources. Five queries, however old the story or many its tallies."""
    zone = timezone.get_default_timezone()
    published = article.published_at or now
    first_hour = datetime.fromtimestamp(counting.hour_of(published), UTC)
    this_hour = datetime.fromtimestamp(counting.hour_of(now), UTC)
    rows = Tally.objects.filter(article=article)
    views = rows.filter(metric=Metric.VIEW)
    hourly_end = min(first_hour + timedelta(hours=STORY_HOURS), this_hour + timedelta(hours=1))
    by_hour = dict(
        views.filter(hour__gte=first_hour, hour__lt=hourly_end).values_list("hour").annotate(Sum("count"))
    )
    hours, hour = [], first_hour
    while hour < hourly_end:
        hours.append((hour.astimezone(zone), by_hour.get(hour, 0)))
        hour += timedelta(hours=1)
    days = []
    if hourly_end <= this_hour:
        first_day = max(
            hourly_end.astimezone(zone).date(), now.astimezone(zone).date() - timedelta(days=STORY_DAYS - 1)
        )
        by_day = dict(
            views.filter(hour__gte=hourly_end, day__gte=first_day).values_list("day").annotate(Sum("count"))
        )
        day = first_day
        while day <= now.astimezone(zone).date():
            days.append((day, by_day.get(day, 0)))
            day += timedelta(days=1)
    totals = dict(rows.values_list("metric").annotate(Sum("count")))
    sources = dict(views.values_list("source").annotate(Sum("count")))
    total_views, reads = totals.get(Metric.VIEW, 0), totals.get(Metric.READ, 0)
    return {
        "views": total_views,
        "reads": reads,
        # Of the views, the share that reached the end (at most all of them: a reload reads again).
        "read_through": round(100 * min(reads, total_views) / total_views) if total_views else None,
        "hours": hours,
        "days": days,
        "sources": [(label, sources.get(value, 0)) for value, label in Source.choices],
    }
