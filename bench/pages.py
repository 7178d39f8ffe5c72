"""Choose the pages to load and count the queries each costs, in-process, page cache off.

Prints one JSON object: {name: {"url", "queries", "bytes"}}. Each page is requested twice
and the second request counted, as a long-running worker sees it (per-process caches such
as content types are warm; the page cache is off).

    python -m bench.pages
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canary.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article, Section  # noqa: E402

SEARCH_WORDS = "council housing"


def choose_pages():
    """A typical story (image, tags, comments, links) from the middle of the archive, and the rest."""
    typical = (
        Article.objects.published()
        .filter(featured_image__isnull=False, action_links__isnull=False)
        .annotate(comment_count=Count("comment_set"))
        .filter(comment_count__gte=3)
        .order_by("-published_at")
    )
    middle = typical.count() // 2
    article = typical[middle : middle + 1].get()
    section = Section.objects.order_by("position").first()
    tag = Tag.objects.annotate(uses=Count("articles_articletag_items")).order_by("-uses").first()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "search": f"/search/?q={SEARCH_WORDS.replace(' ', '+')}",
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
    }


def measure(pages):
    # The host and scheme the proxy would pass; DEBUG is off, so "testserver" is not allowed.
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    results = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name, url in pages.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{name} {url} answered {response.status_code}")
            results[name] = {"url": url, "queries": len(queries), "bytes": len(response.content)}
    return results


if __name__ == "__main__":
    print(json.dumps(measure(choose_pages())))
