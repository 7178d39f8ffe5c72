"""What search engines read: robots.txt, the sitemap index and the Google News sitemap."""

from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from core.links import link

from ..feeds import xml_text
from ..models import Article
from ..models.article import archive_month
from ..sitemaps import SITEMAPS, MonthSitemap, publication_months

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google reads at most this many entries from a news sitemap.


def sitemap_index(request):
    """Each month's stories, newest month first, then the sections, tags, authors and pages."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="articles:sitemap-section")
    # No lastmod for the months: a date for each would mean reading every story's.
    items = [
        SitemapIndexItem(f"{settings.SITE_URL}{link('articles:sitemap-month', year, month)}", None)
        for year, month in publication_months()
    ]
    # The index names each sitemap by the request's host; rewrite them to SITE_URL before
    # the (lazy) template renders.
    for item in response.context_data["sitemaps"]:
        parts = urlsplit(item.location)
        query = f"?{parts.query}" if parts.query else ""
        items.append(replace(item, location=f"{settings.SITE_URL}{parts.path}{query}"))
    response.context_data["sitemaps"] = items
    return response


def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


def sitemap_month(request, year, month):
    bounds = archive_month(year, month)
    if bounds is None:
        raise Http404("No such month")
    return sitemap_views.sitemap(request, {"articles": MonthSitemap(*bounds)}, section="articles")


# Django's sitemaps page through ?p=; the page cache keys on it (canary.page_cache).
sitemap_section.page_cache_params = sitemap_month.page_cache_params = ("p",)


def news_sitemap(request):
    now = timezone.now()
    articles = (
        Article.objects.published(now)
        .filter(published_at__gte=now - NEWS_WINDOW)
        .only("headline", "slug", "published_at", "created_at")[:NEWS_LIMIT]
    )
    entries = [
        {
            "location": f"{settings.SITE_URL}{article.get_absolute_url()}",
            "published": timezone.localtime(article.published_at).isoformat(timespec="seconds"),
            "title": xml_text(article.headline),
        }
        for article in articles
    ]
    # Rendered without the request: the page context processors would only add queries.
    xml = render_to_string(
        "articles/news_sitemap.xml", {"entries": entries, "publication": xml_text(settings.SITE_NAME)}
    )
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


def robots_txt(request):
    # No "Allow: /": everything not disallowed is allowed, and crawlers that take the first
    # matching line would let it override the Disallow lines.
    # A renamed admin path is kept out of robots.txt, which anyone can read.
    admin = [f"Disallow: {link('admin:index')}"] if settings.ADMIN_PATH == "admin/" else []
    lines = [
        "User-agent: *",
        *admin,
        f"Disallow: {link('articles:search')}",
        f"Disallow: {link('supporters:account')}",
        "",
        f"Sitemap: {settings.SITE_URL}{link('articles:sitemap')}",
        f"Sitemap: {settings.SITE_URL}{link('articles:sitemap-news')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
