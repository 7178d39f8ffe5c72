"""The cache tags a shared reader page carries, and how long a purging CDN may keep it.

The kind of page comes from its route (no query); the view adds what it shows (core.cache_tags).
The page cache stores these headers with the page, so a hit sends them as they were.
"""

from django.conf import settings

from core import cache_tags

# Route name → the kind of page, purged as one when any story changes.
KINDS = {
    "articles:home": "home",
    "articles:latest": "lists",
    "articles:section": "lists",
    "articles:tag": "lists",
    "articles:author": "lists",
    "articles:month": "lists",
    "articles:search": "lists",
    "articles:page": "pages",
    "articles:feeds": "feeds",
    "articles:feed": "feeds",
    "articles:feed-atom": "feeds",
    "articles:section-feed": "feeds",
    "articles:tag-feed": "feeds",
    "articles:author-feed": "feeds",
    "articles:sitemap": "sitemaps",
    "articles:sitemap-news": "sitemaps",
    "articles:sitemap-month": "sitemaps",
    "articles:sitemap-section": "sitemaps",
}


def tag(request, response):
    """Say in Cache-Tag (Cloudflare) and Surrogate-Key (Fastly) what this shared page shows."""
    match = getattr(request, "resolver_match", None)
    kind = KINDS.get(match.view_name) if match is not None else None
    if kind:
        cache_tags.add(request, kind)
    tags = cache_tags.of(request)
    response["Cache-Tag"] = cache_tags.header_value(tags, ",")
    response["Surrogate-Key"] = cache_tags.header_value(tags, " ")


def shared_max_age(seconds_to_next_change=None):
    """A short s-maxage without purging; with it, long, but never past the next change by the clock."""
    if not settings.CDN_PURGE:
        return settings.PAGE_CACHE_SHARED_MAX_AGE
    if seconds_to_next_change is None:
        return settings.PAGE_CACHE_SHARED_MAX_AGE
    return max(0, min(settings.CDN_SHARED_MAX_AGE, int(seconds_to_next_change)))
