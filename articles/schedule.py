"""When do reader pages change by the clock alone? The page cache asks this module."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from .models import Article


def next_change(now=None):
    """The next scheduled publication, pinned-story expiry or comments closing: one query."""
    now = now or timezone.now()
    window = timedelta(days=settings.COMMENTS_OPEN_DAYS)
    # Readers' stories and those waiting for their time, in one query (Django ORs the two);
    # within them, a date after now is a scheduled one. A withdrawn story changes nothing.
    visible = Article.objects.published(now) | Article.objects.scheduled(now)
    live = Q(published_at__lte=now)
    found = visible.aggregate(
        publication=Min("published_at", filter=Q(published_at__gt=now)),
        pin_expiry=Min("pinned_until", filter=live & ~Q(placement="") & Q(pinned_until__gt=now)),
        first_open=Min(
            "published_at",
            filter=live & Q(comments=Article.Comments.AUTO, published_at__gt=now - window),
        ),
    )
    moments = [
        found["publication"],
        found["pin_expiry"],
        found["first_open"] + window if found["first_open"] else None,
    ]
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None
