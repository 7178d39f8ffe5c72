"""The site navigation and footer links, kept in the shared cache between changes.

Every page shows them, so they would cost two queries on each uncached page; instead
they are read from the cache (with the other site-wide pieces, see canary.site_parts) and
dropped whenever a section or static page changes.
"""

from core import site_parts

from .models import Page, Section

KEY = "navigation:v1"


def _load():
    return {
        "sections": [{"name": s.name, "url": s.get_absolute_url()} for s in Section.objects.all()],
        "pages": [
            {"title": p.title, "url": p.get_absolute_url()}
            for p in Page.objects.filter(in_footer=True).only("title", "slug")
        ],
    }


site_parts.register(KEY, _load, 24 * 3600)


def navigation():
    return site_parts.read(KEY)


def forget(**kwargs):
    site_parts.forget(KEY)
