"""Which cache tags a change to content touches (core.cache_tags names them).

The page cache empties itself whole on any change; a CDN is purged by tag, so here a change
says which pages it touches. A story's own change reaches its page, its section, tags and
authors, and every page that lists stories (home, lists, feeds, sitemaps: a list shows
headlines whatever it is filtered by, and a story moved out of a section leaves that list too).
A comment or a correction reaches the story's page, a tag or an author their pages; anything else (a section's name in the
navigation, an appeal, a newsletter in the footer form) may show on any page, so it purges them all.
"""

from core import cache_tags

from . import cdn_purge

EVERY_LIST = ("home", "lists", "feeds", "sitemaps")


def _article(article, deleted=False):
    tag_ids = author_ids = ()
    if not deleted:
        tag_ids = list(article.tags.values_list("pk", flat=True))
        author_ids = list(article.authors.values_list("pk", flat=True))
    return [*cache_tags.article_tags(article.pk, article.section_id, tag_ids, author_ids), *EVERY_LIST]


def tags_for(instance, deleted=False):
    label = instance._meta.label
    if label == "articles.Article":
        return _article(instance, deleted)
    if label == "articles.Comment":
        return [f"a{instance.article_id}"]
    if label == "articles.Correction":
        return [f"a{instance.article_id}", "feeds"]
    if label == "articles.ArticleTag":
        return [f"a{instance.content_object_id}", f"t{instance.tag_id}"]
    # A tag's or an author's name shows on its list and on the stories that carry it, which
    # carry its tag; a section's shows in every page's navigation, so it stays with "anything else".
    if label == "taggit.Tag":
        return [f"t{instance.pk}"]
    if label == "articles.Author":
        return [f"p{instance.pk}"]
    return [cache_tags.EVERY_PAGE]


def changed(instance, deleted=False):
    """Queue the purge of what this change touches (in the change's own transaction)."""
    if not cdn_purge.enabled():
        return
    urgent = (
        instance._meta.label == "articles.Article" and getattr(instance, "withdrawn_at", None) is not None
    )
    cdn_purge.queue(tags_for(instance, deleted), urgent=urgent)
