"""Sitemaps for search engines: every public page, with the time it last changed.

contrib.sites is not installed, so Django would take the domain from the request; these
sitemaps name SITE_URL instead, the one address the co-op publishes under.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from taggit.models import Tag

from .models import Article, Author, Page, Section


def latest_publication(**lookup):
    """When the newest story matching lookup was published, or None if there is none."""
    newest = Article.objects.published().filter(**lookup).order_by("-published_at")
    return Subquery(newest.values("published_at")[:1])


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


class ArticleSitemap(SiteUrlSitemap):
    limit = 1000

    def items(self):
        # Only what the URL and lastmod need: a page of a thousand bodies is a lot of bytes.
        return Article.objects.published().only("slug", "published_at", "created_at", "updated_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)

    def get_latest_lastmod(self):
        # One aggregate rather than loading every article for the index.
        latest = Greatest(F("updated_at"), F("published_at"))
        return Article.objects.published().aggregate(latest=Max(latest))["latest"]


class SectionSitemap(SiteUrlSitemap):
    def items(self):
        # Every section is in the navigation, so every section page is listed, even a new one.
        return Section.objects.annotate(latest=latest_publication(section=OuterRef("pk")))


class TagSitemap(SiteUrlSitemap):
    def items(self):
        return (
            Tag.objects.annotate(latest=latest_publication(tags=OuterRef("pk")))
            .filter(latest__isnull=False)
            .order_by("name", "pk")
        )

    def location(self, item):
        return reverse("articles:tag", args=[item.slug])


class AuthorSitemap(SiteUrlSitemap):
    def items(self):
        return Author.objects.annotate(latest=latest_publication(authors=OuterRef("pk"))).filter(
            latest__isnull=False
        )


class PageSitemap(SiteUrlSitemap):
    def items(self):
        return Page.objects.all()

    def lastmod(self, item):
        return item.updated_at


# Classes, not instances: the views build one per request, and a Sitemap keeps state
# (latest_lastmod) between calls.
SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}
