"""When do reader pages change by the clock alone? The page cache asks this module."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from .models import Article


def next_change(now=None):
    """The next scheduled publication, pinned-story expiry or comments closing."""
    now = now or timezone.now()
    published = Article.objects.published(now)
    window = timedelta(days=settings.COMMENTS_OPEN_DAYS)
    first_open = published.filter(comments=Article.Comments.AUTO, published_at__gt=now - window).aggregate(
        at=Min("published_at")
    )["at"]
    moments = [
        Article.objects.scheduled(now).aggregate(at=Min("published_at"))["at"],
        published.exclude(placement="").filter(pinned_until__gt=now).aggregate(at=Min("pinned_until"))["at"],
        first_open + window if first_open else None,
    ]
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None
