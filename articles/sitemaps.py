"""Sitemaps for search engines: every public page, with the time it last changed.

contrib.sites is not installed, so Django would take the domain from the request; these
sitemaps name SITE_URL instead, the one address the co-op publishes under.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .models import Article, Author, Page, Section


def latest_publication(**lookup):
    """When the newest story matching lookup was published, or None if there is none."""
    newest = Article.objects.published().filter(**lookup).order_by("-published_at")
    return Subquery(newest.values("published_at")[:1])


def with_publications(items, relation):
    """Items that have a published story, each with its newest publication as ``latest``.

    The sitemap index only counts these, and the count asks whether each has a story (EXISTS
    stops at the first), not when its newest was published.
    """
    lookup = {relation: OuterRef("pk")}
    return (
        items.filter(Exists(Article.objects.published().filter(**lookup)))
        .annotate(latest=latest_publication(**lookup))
        .order_by("name", "pk")
    )


def newest_publication(**lookup):
    """The newest publication among all items, in one query down the index on dates."""
    return (
        Article.objects.published()
        .filter(**lookup)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def newest_edit():
    """When a published story was last edited: down the index on updated_at, newest first,
    to the first one readers can see (a date condition in the query would send SQLite's
    planner through every published story instead)."""
    now = timezone.now()
    edits = Article.objects.order_by("-updated_at").only(
        "status", "published_at", "withdrawn_at", "updated_at"
    )
    return next((a.updated_at for a in edits.iterator(chunk_size=50) if a.is_published_at(now)), None)


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        # Everything after the scheme, so "protocol://domain/path" is exactly SITE_URL/path.
        return settings.SITE_URL.split("://", 1)[1]

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        # Django's default gives up (returns None) when any item has no lastmod.
        return max((moment for item in self.items() if (moment := self.lastmod(item))), default=None)


class MonthSitemap(SiteUrlSitemap):
    """The stories published in one calendar month, London time: the archive's sitemaps.

    One a month rather than pages through the whole archive: the index then needs no count of
    every story, and a month's sitemap costs the same in the site's twentieth year as in its first.
    """

    limit = 50_000  # the protocol's most URLs in one sitemap; no month comes near it

    def __init__(self, start, end):
        self.start, self.end = start, end

    def items(self):
        # Only what the URL and lastmod need: a month of bodies is a lot of bytes.
        return (
            Article.objects.published()
            .filter(published_at__gte=self.start, published_at__lt=self.end)
            .only("slug", "published_at", "created_at", "updated_at")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


def publication_months():
    """(year, month) from the newest publication's month back to the oldest's, newest first.

    Two look-ups down the index on dates, whatever the size of the archive; a month with no
    story in it is listed too, and its sitemap is simply empty.
    """
    dates = Article.objects.published().order_by("published_at").values_list("published_at", flat=True)
    oldest, newest = dates.first(), dates.last()
    if oldest is None:
        return []
    oldest, newest = timezone.localtime(oldest), timezone.localtime(newest)
    first, last = oldest.year * 12 + oldest.month - 1, newest.year * 12 + newest.month - 1
    return [(number // 12, number % 12 + 1) for number in range(last, first - 1, -1)]


class SectionSitemap(SiteUrlSitemap):
    def items(self):
        # Every section is in the navigation, so every section page is listed, even a new one.
        return Section.objects.annotate(latest=latest_publication(section=OuterRef("pk")))

    def get_latest_lastmod(self):
        return newest_publication()


class TagSitemap(SiteUrlSitemap):
    def items(self):
        return with_publications(Tag.objects.all(), "tags")

    def get_latest_lastmod(self):
        return newest_publication(tags__isnull=False)

    def location(self, item):
        return reverse("articles:tag", args=[item.slug])


class AuthorSitemap(SiteUrlSitemap):
    def items(self):
        return with_publications(Author.objects.all(), "authors")

    def get_latest_lastmod(self):
        return newest_publication(authors__isnull=False)


class PageSitemap(SiteUrlSitemap):
    def items(self):
        return Page.objects.all()

    def lastmod(self, item):
        return item.updated_at


# Classes, not instances: the views build one per request, and a Sitemap keeps state
# (latest_lastmod) between calls.
# The stories' own sitemaps, one a month, are MonthSitemap.
SITEMAPS = {
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}
