"""A streaming reader for WordPress export files (WXR: RSS 2.0 with WordPress's own namespaces).

An export of a large site runs to hundreds of megabytes, so it is never loaded whole: the
file is parsed incrementally and each top-level record of the channel (an author, a term, an
item) is turned into a small dataclass and then dropped from the tree, so memory stays flat
whatever the file's size.

Parsing goes through defusedxml: an entity declaration (the "billion laughs" bomb) or an
external entity or DTD reference stops the parse with an ``UnsafeExport`` instead of being
expanded or fetched. A WordPress export never declares entities.
"""

import html
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

# Post meta the importer reads; everything else (page-builder data, SEO plugins...) can be
# large and is not kept.
WANTED_META = {
    "_thumbnail_id",
    "_wp_attached_file",
    "_wp_attachment_image_alt",
    "_yoast_wpseo_primary_category",
}
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WP_NS_PREFIX = "http://wordpress.org/export/"


class ExportError(Exception):
    """The file cannot be imported; the message says why in words an editor understands."""


class InvalidExport(ExportError):
    pass


class UnsafeExport(ExportError):
    pass


@dataclass
class Site:
    wxr_version: str = ""
    base_url: str = ""


@dataclass
class Author:
    login: str
    display_name: str = ""
    email: str = ""


@dataclass
class Term:
    """A category or tag as declared at the top of the export (or met on an item)."""

    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str
    term_id: int | None = None
    parent: str = ""  # the parent category's slug
    description: str = ""


@dataclass
class Comment:
    id: int
    author: str = ""
    email: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: int = 0


@dataclass
class Item:
    """A post, page, attachment, menu item or any other post type."""

    id: int
    post_type: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    slug: str = ""
    status: str = ""
    date: str = ""
    date_gmt: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    comment_status: str = ""
    attachment_url: str = ""
    categories: list = field(default_factory=list)  # [(slug, name)] in the file's order
    tags: list = field(default_factory=list)  # [(slug, name)]
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


_names = {}


def _name(tag):
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id', whatever the WXR version."""
    name = _names.get(tag)
    if name is None:
        local = tag
        prefix = ""
        if tag.startswith("{"):
            namespace, local = tag[1:].split("}", 1)
            if namespace.startswith(WP_NS_PREFIX):
                prefix = "excerpt:" if namespace.rstrip("/").endswith("excerpt") else "wp:"
            elif namespace == CONTENT_NS:
                prefix = "content:"
            elif namespace == DC_NS:
                prefix = "dc:"
            else:
                prefix = "other:"
        name = _names[tag] = prefix + local
    return name


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _raw(element):
    # Bodies keep their own whitespace: line breaks are paragraphs in the classic editor.
    return element.text or "" if element is not None else ""


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _children(element):
    return {_name(child.tag): child for child in element}


def _author(element):
    fields = _children(element)
    return Author(
        login=_text(fields.get("wp:author_login")),
        display_name=html.unescape(_text(fields.get("wp:author_display_name"))),
        email=_text(fields.get("wp:author_email")),
    )


def _term(element, kind):
    fields = _children(element)
    if kind == "wp:category":
        return Term(
            taxonomy="category",
            slug=_text(fields.get("wp:category_nicename")),
            name=html.unescape(_text(fields.get("wp:cat_name"))),
            term_id=_int(_text(fields.get("wp:term_id"))) or None,
            parent=_text(fields.get("wp:category_parent")),
            description=html.unescape(_text(fields.get("wp:category_description"))),
        )
    if kind == "wp:tag":
        return Term(
            taxonomy="post_tag",
            slug=_text(fields.get("wp:tag_slug")),
            name=html.unescape(_text(fields.get("wp:tag_name"))),
            term_id=_int(_text(fields.get("wp:term_id"))) or None,
        )
    return Term(  # wp:term, the generic form newer exports also write
        taxonomy=_text(fields.get("wp:term_taxonomy")),
        slug=_text(fields.get("wp:term_slug")),
        name=html.unescape(_text(fields.get("wp:term_name"))),
        term_id=_int(_text(fields.get("wp:term_id"))) or None,
        parent=_text(fields.get("wp:term_parent")),
    )


def _comment(element):
    fields = _children(element)
    return Comment(
        id=_int(_text(fields.get("wp:comment_id"))),
        author=html.unescape(_text(fields.get("wp:comment_author"))),
        email=_text(fields.get("wp:comment_author_email")),
        date=_text(fields.get("wp:comment_date")),
        date_gmt=_text(fields.get("wp:comment_date_gmt")),
        content=_raw(fields.get("wp:comment_content")),
        approved=_text(fields.get("wp:comment_approved")),
        type=_text(fields.get("wp:comment_type")),
        parent=_int(_text(fields.get("wp:comment_parent"))),
    )


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "wp:post_name": "slug",
    "wp:status": "status",
    "wp:post_date": "date",
    "wp:post_date_gmt": "date_gmt",
    "dc:creator": "creator",
    "wp:comment_status": "comment_status",
    "wp:post_type": "post_type",
    "wp:attachment_url": "attachment_url",
}


def _item(element):
    item = Item(id=0)
    for child in element:
        name = _name(child.tag)
        if name in _ITEM_FIELDS:
            setattr(item, _ITEM_FIELDS[name], _text(child))
        elif name == "wp:post_id":
            item.id = _int(_text(child))
        elif name == "content:encoded":
            item.content = _raw(child)
        elif name == "excerpt:encoded":
            item.excerpt = _raw(child)
        elif name == "category":
            pair = (child.get("nicename") or "", html.unescape(_text(child)))
            domain = child.get("domain")
            if domain == "category":
                item.categories.append(pair)
            elif domain == "post_tag":
                item.tags.append(pair)
        elif name == "wp:postmeta":
            fields = _children(child)
            key = _text(fields.get("wp:meta_key"))
            if key in WANTED_META:
                item.meta[key] = _text(fields.get("wp:meta_value"))
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    return item


def read(path):
    """Yield Site, Author, Term and Item records in file order.

    Raises InvalidExport for a file that is not well-formed XML or not a WordPress export,
    and UnsafeExport for one that declares entities or points at external resources.
    """
    site = Site()
    depth = 0
    channel = None
    try:
        with open(path, "rb") as source:
            for event, element in iterparse(source, events=("start", "end"), forbid_dtd=False):
                if event == "start":
                    depth += 1
                    if depth == 1 and element.tag != "rss":
                        raise InvalidExport(
                            f"This is XML but not a WordPress export: it starts with <{element.tag}>, not <rss>."
                        )
                    if depth == 2 and element.tag == "channel":
                        channel = element
                    continue
                depth -= 1
                if depth != 2 or channel is None:
                    continue
                # A direct child of <channel> is complete: turn it into a record, then drop
                # it so the tree never grows.
                name = _name(element.tag)
                if name == "item":
                    yield _item(element)
                elif name == "wp:author":
                    yield _author(element)
                elif name in ("wp:category", "wp:tag", "wp:term"):
                    yield _term(element, name)
                elif name == "wp:wxr_version":
                    site.wxr_version = _text(element)
                elif name in ("wp:base_site_url", "wp:base_blog_url") and not site.base_url:
                    site.base_url = _text(element)
                channel.clear()
    except DefusedXmlException as error:
        raise UnsafeExport(
            "The file declares XML entities or refers to outside resources, which a WordPress "
            f"export never does, so it was not read ({type(error).__name__})."
        ) from None
    except OSError as error:
        # Unreadable (permissions, a disk error, a folder): a message, never a traceback.
        raise InvalidExport(f"The file could not be read: {error.strerror or error}.") from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        reason = str(error).split(":")[0]
        raise InvalidExport(f"The file is not valid XML: line {line}, column {column}: {reason}.") from None
    if not site.wxr_version:
        raise InvalidExport("This is XML but not a WordPress export: it has no <wp:wxr_version>.")
    yield site
