"""What a reader page shows, said as cache tags, so a CDN can forget exactly the pages a change touches.

A view (or a piece of the page) adds the tags of what it rendered to the request; the page cache
sends them in ``Cache-Tag`` (Cloudflare) and ``Surrogate-Key`` (Fastly) and stores them with the
page, so a warm page costs nothing more. The names are short, since CDNs limit the header:

    a<id> an article, s<id> a section, t<id> a tag, p<id> an author (person),
    home, lists, feeds, sitemaps, pages, and site on every page (purging it purges them all).
"""

ATTRIBUTE = "cache_tags"
EVERY_PAGE = "site"
# Cloudflare reads at most 16 KB of Cache-Tag; far below it, a page that names more than this
# many things is tagged by its kind alone (a purge of "lists" still reaches it).
MAX_TAGS = 200


def add(request, *tags):
    """The page rendered for `request` shows these things."""
    if request is None:
        return
    found = getattr(request, ATTRIBUTE, None)
    if found is None:
        found = []
        setattr(request, ATTRIBUTE, found)
    for tag in tags:
        if tag not in found:
            found.append(tag)


def article_tags(article_id, section_id=None, tag_ids=(), author_ids=()):
    """The tags of an article's page: the story itself and the lists it appears in."""
    tags = [f"a{article_id}"]
    if section_id:
        tags.append(f"s{section_id}")
    tags += [f"t{pk}" for pk in tag_ids]
    tags += [f"p{pk}" for pk in author_ids]
    return tags


def of(request):
    """The tags the page rendered for `request` carries, `site` always among them."""
    found = list(getattr(request, ATTRIBUTE, None) or ())
    if len(found) > MAX_TAGS:
        found = found[:MAX_TAGS]
    return [EVERY_PAGE, *found]


def header_value(tags, separator):
    return separator.join(tags)
