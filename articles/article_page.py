"""What an article page reads, each query compiled to SQL once per process (CompiledQuery).

The page is the one a spike lands on, and the page cache misses it at the worst moment: just
after a story is published or corrected. These are the queries it runs every time; building
and compiling them cost several times what the database spent on them.
"""

from django.utils import timezone
from taggit.models import Tag

from core.compiled_queries import CompiledQuery

from .models import ActionLink, Article, Author, Comment

_article = CompiledQuery(
    lambda slug, now: (
        Article.objects.published(now).select_related("section", "featured_image").filter(slug=slug)[:1]
    )
)
_tags = CompiledQuery(
    # In the order the editor gave them, as taggit's manager lists them.
    lambda article_id: Tag.objects.filter(articles_articletag_items__content_object_id=article_id).order_by(
        "articles_articletag_items__id"
    )
)
_authors = CompiledQuery(lambda article_id: Author.objects.filter(articles=article_id))
_action_links = CompiledQuery(lambda article_id: ActionLink.objects.filter(article_id=article_id))
# Only what the thread shows: each date and time a reader never sees still had to be parsed.
_comments = CompiledQuery(
    lambda article_id: Comment.objects.for_article_page(article_id).only(
        "article_id", "parent_id", "name", "body", "pinned", "created_at"
    )
)


def published_article(slug, now=None):
    """The published article with this slug, or None."""
    found = _article.list(slug=slug, now=now or timezone.now())
    return found[0] if found else None


def tags(article):
    return _tags.list(article_id=article.pk)


def authors(article):
    return _authors.list(article_id=article.pk)


def action_links(article):
    return _action_links.list(article_id=article.pk)


def comments(article):
    """Approved comments, editor's picks first, then oldest first."""
    return _comments.list(article_id=article.pk)
