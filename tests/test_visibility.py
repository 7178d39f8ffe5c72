"""Visibility has one spelling: what published() selects is what is_published_at() says of one
article in hand, and scheduled() takes the rest of what will come out, for any articles."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.factories import make_section
from articles.models import Article

pytestmark = pytest.mark.django_db

bounded = hypothesis_settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

# Seconds from "now": the exact moment, either side of it, and far off.
OFFSETS = st.one_of(st.sampled_from([0, -1, 1]), st.integers(-(10**8), 10**8))
ARTICLES = st.lists(
    st.tuples(
        st.sampled_from(Article.Status.values),
        st.one_of(st.none(), OFFSETS),  # when it came or comes out, or never set
        st.booleans(),  # withdrawn
    ),
    max_size=8,
)


@given(articles=ARTICLES, at=OFFSETS)
@bounded
def test_is_published_at_is_membership_in_published(articles, at):
    Article.objects.all().delete()
    section = make_section("News")
    base = timezone.now().replace(microsecond=0)
    now = base + timedelta(seconds=at)
    rows = [
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            standfirst="What happened.",
            section=section,
            status=status,
            published_at=None if offset is None else base + timedelta(seconds=offset),
            withdrawn_at=base if withdrawn else None,
        )
        for n, (status, offset, withdrawn) in enumerate(articles)
    ]
    # bulk_create: exactly the rows drawn (save() would give a published article a date).
    Article.objects.bulk_create(rows)
    published = set(Article.objects.published(now).values_list("pk", flat=True))
    scheduled = set(Article.objects.scheduled(now).values_list("pk", flat=True))
    for article in Article.objects.all():
        assert article.is_published_at(now) == (article.pk in published)
        assert not (article.pk in published and article.pk in scheduled)
        waits = article.status == "published" and article.withdrawn_at is None and article.published_at
        assert (article.pk in scheduled) == bool(waits and article.published_at > now)
