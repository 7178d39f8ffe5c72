"""Readership counts: how many, per page, per hour, per source. Nothing about any person.

The page cache does not watch these models (they are not in PAGE_CACHE_MODELS): a fold every
minute must never empty the cache of every reader page.
"""

from django.db import models


class Source(models.TextChoices):
    SEARCH = "search", "Search"
    SOCIAL = "social", "Social"
    NEWSLETTER = "newsletter", "Newsletter issue"
    APPEAL = "appeal", "Appeal"
    DIRECT = "direct", "Direct"
    OTHER = "other", "Other site"


class Metric(models.TextChoices):
    VIEW = "view", "View"
    READ = "read", "Read to the end"


class Tally(models.Model):
    """One count: of views or read-throughs of a page in one hour, from one source.

    `hour` is the hour's start in UTC; `day` is its London date, so a day's figures are the
    23, 24 or 25 hours London has that day. `appeal` is the call to action the page showed
    (0 for none), `issue` the newsletter issue whose link brought the reader (0 for none) and
    `host` the referring site's host only, never its address.
    """

    hour = models.DateTimeField()
    day = models.DateField()
    path = models.CharField(max_length=200)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metric = models.CharField(max_length=8, choices=Metric.choices)
    source = models.CharField(max_length=12, choices=Source.choices, blank=True)
    host = models.CharField(max_length=100, blank=True)
    appeal = models.PositiveIntegerField(default=0)
    issue = models.PositiveIntegerField(default=0)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "readership now"
        verbose_name_plural = "readership now"
        constraints = [
            models.UniqueConstraint(
                fields=["hour", "path", "metric", "source", "host", "appeal", "issue"],
                name="one_tally_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["day", "article"]),
            models.Index(fields=["article", "hour"]),
        ]

    def __str__(self):
        return f"{self.path} {self.metric} {self.hour:%Y-%m-%d %H:00} UTC: {self.count}"


class FoldedBatch(models.Model):
    """A batch of counts taken from Redis and written here: folding it again adds nothing."""

    token = models.CharField(max_length=40, unique=True)
    folded_at = models.DateTimeField()

    def __str__(self):
        return f"batch {self.token} folded {self.folded_at:%Y-%m-%d %H:%M}"
