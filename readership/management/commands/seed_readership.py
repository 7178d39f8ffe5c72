"""`manage.py seed_readership`: a day of made-up counts for the demo, so the newsroom's charts
and the readers' "Most read" list show something on a first run. Written once: the counts go
in as one folded batch with a fixed mark, so a second run (or two at once) adds nothing."""

import random
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article
from core.commands import require_migrated_database
from readership import counting
from readership.models import FoldedBatch, Metric, Source

DEMO_BATCH = "demo-day"
# Where the demo's readers came from, and how many in a hundred from each.
SOURCES = (
    (Source.DIRECT, "", 38),
    (Source.SEARCH, "google.com", 18),
    (Source.SEARCH, "duckduckgo.com", 6),
    (Source.SOCIAL, "bsky.app", 12),
    (Source.SOCIAL, "mastodon.social", 8),
    (Source.NEWSLETTER, "", 12),
    (Source.OTHER, "news.ycombinator.com", 6),
)
READ_THROUGH = 0.45


def demo_counts(now, articles, seed=24):
    """A Counter of the beacons' fields for the 24 hours up to `now`, some stories far more read."""
    rng = random.Random(seed)
    counts = Counter()
    this_hour = counting.hour_of(now)
    ranks = list(range(len(articles)))
    rng.shuffle(ranks)  # the most read are not simply the newest
    for rank, article in zip(ranks, articles, strict=True):
        popularity = 60 / (rank + 1.5)
        path = article.get_absolute_url()
        for back in range(24):
            hour = this_hour - back * 3600
            if hour + 3600 <= article.published_at.timestamp():
                continue  # not out yet
            # More by day than by night (London), and a story fades as it ages.
            local = (now - timedelta(hours=back)).astimezone(timezone.get_default_timezone()).hour
            daytime = 1.0 if 7 <= local <= 22 else 0.25
            views = round(popularity * daytime * rng.uniform(0.6, 1.4) / (1 + back / 12))
            for source, host, share in SOURCES:
                part = round(views * share / 100)
                if part:
                    counts[counting.field(Metric.VIEW, hour, path, source, host)] += part
            if views:
                counts[counting.field(Metric.READ, hour, path)] += round(views * READ_THROUGH)
    return counts


class Command(BaseCommand):
    help = "Add a day of made-up readership counts for the demo's stories. Adds nothing the second time."

    def handle(self, *args, **options):
        require_migrated_database()
        if FoldedBatch.objects.filter(token=DEMO_BATCH).exists():
            self.stdout.write("Demo readership counts already present.")
            return
        now = timezone.now()
        articles = list(Article.objects.published(now).order_by("-published_at", "-id")[:50])
        if not articles:
            self.stdout.write("No published stories to count yet: run `manage.py seed_demo` first.")
            return
        counts = demo_counts(now, articles)
        counting.write_counts(counts, now, token=DEMO_BATCH)
        views = sum(n for name, n in counts.items() if name.startswith(Metric.VIEW))
        self.stdout.write(self.style.SUCCESS(f"Demo readership: {views} views over the last 24 hours."))
