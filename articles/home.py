"""What the front page and an article's "related" box show, in a fixed number of queries."""

from django.db.models import Count, F, Q, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import Article, Section
from .models.article import pinned_now

TOP_STORIES = 4
LATEST = 12
SECTION_BLOCK = 4
RELATED = 4
# Section blocks and related stories look only among this many newest stories, so their cost
# stays the same however large the archive grows (the index on status and date finds them).
RECENT_WINDOW = 500
# Teasers never show the body or the search vector: leave them in the database.
TEASER_DEFERRED = ("body", "search_vector")


def newest_ids(published):
    return published.order_by("-published_at", "-id").values("pk")[:RECENT_WINDOW]


def front_page(now=None):
    now = now or timezone.now()
    published = (
        Article.objects.published(now).select_related("section", "featured_image").defer(*TEASER_DEFERRED)
    )
    pinned = list(published.filter(pinned_now(now)).exclude(placement="")[: TOP_STORIES + 1])
    latest = list(published[: LATEST + TOP_STORIES + 1])
    lead = next((a for a in pinned if a.placement == Article.Placement.LEAD), None)
    if lead is None and latest:
        lead = latest[0]
    top = [a for a in pinned if a.placement == Article.Placement.TOP and a != lead][:TOP_STORIES]
    shown = {a.pk for a in [lead, *top] if a}
    top += [a for a in latest if a.pk not in shown][: TOP_STORIES - len(top)]
    shown |= {a.pk for a in top}
    latest = [a for a in latest if a.pk not in shown][:LATEST]
    blocks = section_blocks(published)
    # One query for the bylines of every story on the page.
    prefetch_related_objects(
        [a for a in [lead, *top, *latest] if a] + [a for _, stories in blocks for a in stories], "authors"
    )
    return {"lead": lead, "top_stories": top, "latest": latest, "section_blocks": blocks}


def section_blocks(published):
    """Each section with its newest few stories, in one query for all sections."""
    ranked = (
        published.filter(pk__in=newest_ids(published))
        .annotate(rank=Window(RowNumber(), partition_by=F("section_id"), order_by=F("published_at").desc()))
        .filter(rank__lte=SECTION_BLOCK)
    )
    by_section = {}
    for article in ranked:
        by_section.setdefault(article.section_id, []).append(article)
    return [(s, by_section[s.pk]) for s in Section.objects.all() if s.pk in by_section]


def related_to(article, tags, limit=RELATED):
    """Recent stories sharing the most tags, then the newest from the same section."""
    tag_ids = [tag.pk for tag in tags]
    published = Article.objects.published()
    others = published.exclude(pk=article.pk).for_listing().defer(*TEASER_DEFERRED)
    related = []
    if tag_ids:
        related = list(
            others.filter(pk__in=newest_ids(published))
            .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
            .filter(shared__gt=0)
            .order_by("-shared", "-published_at")[:limit]
        )
    if len(related) < limit:
        related += list(
            others.filter(section_id=article.section_id).exclude(pk__in=[a.pk for a in related])[
                : limit - len(related)
            ]
        )
    return related
