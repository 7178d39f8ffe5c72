"""The site navigation and footer links, kept in the shared cache between changes.

Every page shows them, so they would cost two queries on each uncached page; instead
they are read from the cache and dropped whenever a section or static page changes.
"""

from django.core.cache import cache

from .models import Page, Section

KEY = "navigation:v1"


def navigation():
    links = cache.get(KEY)
    if links is None:
        links = {
            "sections": [{"name": s.name, "url": s.get_absolute_url()} for s in Section.objects.all()],
            "pages": [
                {"title": p.title, "url": p.get_absolute_url()}
                for p in Page.objects.filter(in_footer=True).only("title", "slug")
            ],
        }
        cache.set(KEY, links, 24 * 3600)
    return links


def forget(**kwargs):
    cache.delete(KEY)
