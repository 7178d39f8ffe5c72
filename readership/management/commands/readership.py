"""`manage.py readership --today`: today's views per story, counts not yet folded included."""

from collections import Counter
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from django.utils import timezone

from articles.models import Article
from readership import counting
from readership.models import Metric, Tally


def views_today(now):
    """{article id: views} for the London day of `now`, folded and pending."""
    zone = timezone.get_default_timezone()
    today = now.astimezone(zone).date()
    views = Counter(
        dict(
            Tally.objects.filter(day=today, metric=Metric.VIEW, article__isnull=False)
            .values_list("article")
            .annotate(Sum("count"))
        )
    )
    pending = Counter()
    for (hour, path, metric, *_), count in counting.parse(counting.pending_counts()).items():
        if metric == Metric.VIEW and datetime.fromtimestamp(hour, UTC).astimezone(zone).date() == today:
            pending[path] += count
    for path, article in counting.articles_by_path(pending).items():
        if article is not None:
            views[article] += pending[path]
    return views


class Command(BaseCommand):
    help = "Print today's views per story (London time), counts not yet folded included."

    def add_arguments(self, parser):
        parser.add_argument("--today", action="store_true", help="today's views per story")

    def handle(self, *args, **options):
        if not options["today"]:
            raise CommandError("Say which figures: --today")
        views = views_today(timezone.now())
        headlines = dict(Article.objects.filter(id__in=views).values_list("id", "headline"))
        for article, count in sorted(views.items(), key=lambda item: (-item[1], item[0])):
            self.stdout.write(f"{count}\t{headlines.get(article, '?')}")
        self.stdout.write(f"{sum(views.values())}\ttotal")
