"""RSS and Atom feeds: the latest published stories, in full, for feed readers.

Every link in a feed is SITE_URL plus a path, never the host the request came in on:
feeds are cached and copied around, and must point at the one public address.
"""

import os
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag

from .models import Article, Author, Section
from .models.article import attach_bylines

FEED_SIZE = 30
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}

# XML 1.0 cannot carry these; Django's feed writer raises on them, so one stray character
# pasted into a headline would otherwise take the whole feed down.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Bodies link to our own pages and media by path; a feed reader needs the full address.
_SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def xml_text(value):
    return _XML_ILLEGAL.sub("", value or "")


def absolute(url):
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


def absolute_html(html):
    return _SITE_RELATIVE.sub(lambda match: f"{match[1]}{settings.SITE_URL}/", xml_text(html))


class FullContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the whole story in <content:encoded>, as most feed readers expect."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ArticleFeed(Feed):
    """The latest published stories; subclasses narrow them to a section, tag or author."""

    feed_type = FullContentRssFeed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django would build the self link from the request's host.
        feed.feed["feed_url"] = absolute(request.path)
        return feed

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return absolute("/")

    def description(self, obj):
        return f"The latest reporting and opinion from {settings.SITE_NAME}."

    def author_name(self, obj):
        # Atom requires an author for every entry; the publication stands in for bylines.
        return settings.SITE_NAME

    def filtered(self, articles, obj):
        return articles

    def items(self, obj):
        articles = self.filtered(Article.objects.published(), obj)
        return attach_bylines(
            articles.for_listing().prefetch_related(Prefetch("tags", to_attr="tag_list"))[:FEED_SIZE]
        )

    def item_title(self, item):
        # RSS readers disagree on whether a title is text or HTML; escaping it (Django's
        # default) shows the headline literally in both kinds.
        return escape(xml_text(item.headline))

    def item_description(self, item):
        # The standfirst is plain text, and RSS descriptions are read as HTML.
        return escape(xml_text(item.standfirst))

    def item_extra_kwargs(self, item):
        return {"content_html": absolute_html(item.body)}

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A story scheduled days after it was last saved was still first seen at publication.
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        names = [xml_text(name) for name in item.byline]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [xml_text(item.section.name), *(xml_text(tag.name) for tag in item.tag_list)]

    def item_enclosures(self, item):
        image = item.featured_image
        if image is None or not image.file:
            return []
        mime_type = IMAGE_TYPES.get(os.path.splitext(image.file.name)[1].lower())
        if mime_type is None:
            return []
        try:
            length = image.file.size
        except Exception:
            # The file went missing from storage (an OSError on disk, something else on
            # object storage): a feed without this enclosure beats no feed at all.
            return []
        return [Enclosure(absolute(image.file.url), str(length), mime_type)]


class AtomArticleFeed(ArticleFeed):
    feed_type = FullContentAtomFeed

    def subtitle(self, obj):
        # Atom calls the channel description a subtitle.
        return self.description(obj)

    def item_title(self, item):
        # Atom titles are declared text, so the writer's own escaping is all they need.
        return xml_text(item.headline)


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def description(self, obj):
        return obj.description or f"The latest {obj.name} stories from {settings.SITE_NAME}."

    def filtered(self, articles, obj):
        return articles.filter(section=obj)


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: tagged {obj.name}"

    def link(self, obj):
        return absolute(reverse("articles:tag", args=[obj.slug]))

    def description(self, obj):
        return f"Our reporting and opinion tagged {obj.name}."

    def filtered(self, articles, obj):
        return articles.filter(tags=obj)


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def description(self, obj):
        return f"The latest stories by {obj.name} for {settings.SITE_NAME}."

    def filtered(self, articles, obj):
        return articles.filter(authors=obj)
