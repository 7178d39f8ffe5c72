"""What a search page with no results offers instead: the names we know that are spelled like the
words typed (tags, sections and writers), and the latest stories.

Read only when a search finds nothing, and the page is cached like any search page; the names
read are bounded (the most used tags first), so the cost does not grow with the archive.
"""

from difflib import get_close_matches

from django.db.models import Count
from taggit.models import Tag

from .models import Article, Author, Section

# The most used tags are the ones a reader is likely to have meant; a newsroom has thousands.
TAGS_READ = 2000
SUGGESTIONS = 3
LATEST = 5


def known_names():
    """Tags, sections and writers, lower-cased, each with the name to show."""
    tags = (
        Tag.objects.filter(articles_articletag_items__isnull=False)
        .annotate(uses=Count("articles_articletag_items"))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:TAGS_READ]
    )
    names = [
        *Section.objects.values_list("name", flat=True),
        *Author.objects.values_list("name", flat=True),
        *tags,
    ]
    return {name.lower(): name for name in names}


def other_spellings(query):
    """Whole names close to the query as typed, or to one of its words: "hosing" → "Housing"."""
    names = known_names()
    typed = query.lower()
    candidates = [typed, *typed.split()] if " " in typed else [typed]
    found = []
    for word in candidates:
        for match in get_close_matches(word, names, n=SUGGESTIONS, cutoff=0.75):
            if match != typed and names[match] not in found:
                found.append(names[match])
    return found[:SUGGESTIONS]


def latest_stories():
    return list(Article.objects.published().teasers()[:LATEST])
