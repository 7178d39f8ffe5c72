"""What the front page and an article's "related" box show, in a fixed number of queries."""

from django.db.models import Count, F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import Article, Section
from .models.article import TEASER_DEFERRED, pinned_now

TOP_STORIES = 4
LATEST = 12
SECTION_BLOCK = 4
RELATED = 4
PINNED_AT_MOST = 50
# Section blocks and related stories look only among this many newest stories, so their cost
# stays the same however large the archive grows (the index on status and date finds them).
RECENT_WINDOW = 500


def newest_ids(published):
    return published.order_by("-published_at", "-id").values("pk")[:RECENT_WINDOW]


def front_page(now=None):
    now = now or timezone.now()
    teasers = Article.objects.select_related("featured_image").defer(*TEASER_DEFERRED)
    published = teasers.published(now)
    # Pinned stories are few. They are found through the index on placement alone: "placement
    # > ''" is a range SQLite's planner sizes well, where placement IN (...) or a date
    # condition led it to read every story. Then they are checked and put in order here.
    candidates = teasers.filter(pinned_now(now), placement__gt="").order_by()[:PINNED_AT_MOST]
    pinned = sorted(
        (a for a in candidates if a.is_published_at(now)), key=lambda a: (a.published_at, a.pk), reverse=True
    )[: TOP_STORIES + 1]
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
    # One query each for the sections and the bylines of every story on the page (see for_listing).
    prefetch_related_objects(
        [a for a in [lead, *top, *latest] if a] + [a for _, stories in blocks for a in stories],
        "section",
        "authors",
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
    """Recent stories sharing the most tags, then the newest from the same section.

    The ranking reads ids only, starting from the window of newest stories (the index on
    status and date), so it costs the same with 1,000 stories or 1,000,000; the teasers are
    then loaded by primary key.
    """
    tag_ids = [tag.pk for tag in tags]
    published = Article.objects.published()
    ranked_ids = []
    if tag_ids:
        ranked_ids = list(
            Article.objects.filter(pk__in=newest_ids(published), tags__in=tag_ids)
            .exclude(pk=article.pk)
            .values("pk")
            # Filtered before it is counted: only the tags this story shares with the article.
            .annotate(shared=Count("pk"))
            .order_by("-shared", "-published_at", "-pk")
            .values_list("pk", flat=True)[:limit]
        )
    related = []
    if ranked_ids:
        # By primary key alone: the ids were ranked among published stories already.
        found = Article.objects.filter(pk__in=ranked_ids).teasers()
        related = sorted(found, key=lambda a: ranked_ids.index(a.pk))
    if len(related) < limit:
        related += list(
            published.teasers()
            .filter(section_id=article.section_id)
            .exclude(pk__in=[article.pk, *ranked_ids])[: limit - len(related)]
        )
    return related
