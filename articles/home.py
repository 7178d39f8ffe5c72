"""What the front page and an article's "related" box show, in a fixed number of queries."""

from django.db import connection
from django.db.models import F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.compiled_queries import CompiledForIds, CompiledQuery

from .models import Article, ArticleTag, Section
from .models.article import TEASER_DEFERRED, attach_bylines, pinned_now

TOP_STORIES = 4
LATEST = 12
SECTION_BLOCK = 4
RELATED = 4
PINNED_AT_MOST = 50
# Section blocks and related stories look only among this many newest stories, so their cost
# stays the same however large the archive grows (the index on status and date finds them).
RECENT_WINDOW = 500


def recent_window(published, *fields):
    return published.order_by("-published_at", "-id").values(*fields)[:RECENT_WINDOW]


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
    # "Most recent" is a list of links, which may name a story a teaser shows; the newest first.
    latest = latest[:LATEST]
    # No story in two teasers: the section blocks leave out the lead and the top stories.
    blocks = section_blocks(published, exclude=shown)
    # One query each for the sections and the bylines of every story on the page (see for_listing).
    shown = [a for a in [lead, *top, *latest] if a] + [a for _, stories in blocks for a in stories]
    prefetch_related_objects(shown, "section")
    attach_bylines(shown)
    return {"lead": lead, "top_stories": top, "latest": latest, "section_blocks": blocks}


def section_blocks(published, exclude=()):
    """Each section with its newest few stories not in ``exclude``, in one query for all sections.

    The window ranks ids alone and the teasers are then read by primary key: ranking whole
    teaser rows had SQLite sort every column of 500 stories, twice.
    """
    ranked = (
        Article.objects.filter(pk__in=recent_window(published, "pk"))
        .exclude(pk__in=exclude)
        .annotate(rank=Window(RowNumber(), partition_by=F("section_id"), order_by=F("published_at").desc()))
        .filter(rank__lte=SECTION_BLOCK)
        .values("pk")
    )
    by_section = {}
    for article in published.filter(pk__in=ranked).order_by("-published_at", "-id"):
        by_section.setdefault(article.section_id, []).append(article)
    return [(s, by_section[s.pk]) for s in Section.objects.all() if s.pk in by_section]


def _related_teasers(articles):
    """Only what a related story's teaser shows (headline, link, date and picture): each
    field left out is one the database need not send and Python need not convert."""
    return articles.select_related("featured_image").only(
        "headline", "slug", "published_at", "section_id", "featured_image"
    )


# The related box's queries, compiled once per process (core.compiled_queries).
_recent_window = CompiledQuery(
    lambda now: recent_window(Article.objects.published(now), "id", "published_at")
)
_teasers_by_id = CompiledForIds(lambda ids: _related_teasers(Article.objects.filter(pk__in=ids)).order_by())
# Newest in the section but for the article itself and those found already: as many as are
# missing, which follows from how many ids are left out.
_newest_in_section = CompiledForIds(
    lambda ids, section_id, now: _related_teasers(
        Article.objects.published(now)
        .order_by("-published_at", "-id")
        .filter(section_id=section_id)
        .exclude(pk__in=ids)
    )[: RELATED - len(ids) + 1]
)


def related_to(article, tags, now=None):
    """Recent stories sharing the most tags, then the newest from the same section.

    The ranking reads ids only, starting from the window of newest stories (the index on
    status and date), so it costs the same with 1,000 stories or 1,000,000; the teasers are
    then loaded by primary key, their sections joined (no sort for a planner to get wrong).
    """
    now = now or timezone.now()
    ranked_ids = _sharing_most_tags(article, [tag.pk for tag in tags], now)
    # By primary key alone: the ids were ranked among published stories already. Put in
    # order here, so no ORDER BY for the ORM to compile.
    found = _teasers_by_id.list(ranked_ids)
    related = sorted(found, key=lambda a: ranked_ids.index(a.pk))
    if len(related) < RELATED:
        left_out = [article.pk, *ranked_ids]
        related += _newest_in_section.list(left_out, section_id=article.section_id, now=now)
    return attach_bylines(related[:RELATED])


def _sharing_most_tags(article, tag_ids, now):
    """Ids of the stories in the recent window that share the most of these tags, newest first.

    Written out in SQL around the ORM's own window query: the ORM spent longer building the
    join, grouping and counting than the database spent running it. Each story in the window
    counts its shared tags through the unique (article, tag) index, so the work is the window's
    size, never the number of stories a popular tag has gathered over the years. The unary
    plus on tag_id keeps that to one index seek per story, reading its few tags, where SQLite
    otherwise sought each (story, tag) pair: a quarter less time for the query.
    """
    if not tag_ids:
        return []
    window, params = _recent_window.sql(now=now)
    tagging = ArticleTag._meta.db_table
    # Named placeholders throughout, as the window's are (CompiledQuery.sql).
    params |= {f"tag{i}": pk for i, pk in enumerate(tag_ids)}
    params |= {"article": article.pk, "related": RELATED}
    placeholders = ", ".join(f"%(tag{i})s" for i in range(len(tag_ids)))
    # Stories sharing no tag are left out here, not by "WHERE shared > 0": SQLite ran the
    # count a second time for that condition. (A join and GROUP BY instead let PostgreSQL
    # read every tagging of a popular tag, which grows with the archive.)
    sql = (
        "SELECT recent.id, (SELECT COUNT(*) FROM "  # noqa: S608 (ORM SQL, constants, placeholders)
        f"{tagging} AS tagging WHERE tagging.content_object_id = recent.id AND +tagging.tag_id IN ({placeholders})) "
        f"AS shared FROM ({window}) AS recent WHERE recent.id <> %(article)s "
        "ORDER BY shared DESC, recent.published_at DESC, recent.id DESC LIMIT %(related)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for pk, shared in cursor.fetchall() if shared]
