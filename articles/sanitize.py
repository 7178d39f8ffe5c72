"""The one set of rules for HTML that editors and imports write into Canary.

Bodies keep paragraphs, h2/h3, quotes, lists, links, bold/italic, figures with images
from Canary's own library and their captions, and rules. Everything else is stripped,
external images included, before the HTML is stored.

The admin's rich-text editor (articles/admin/editor.py) offers exactly these, and what it
writes passes through unchanged: its figure and caption classes, and an ordered list's
numbering (``type``, ``start``), are kept with their values checked; nothing else it could
add (styles, data attributes, targets) is.
"""

import re

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "blockquote", "ul", "ol", "li", "a", "strong", "b", "em", "i",
    "figure", "img", "figcaption", "hr", "cite",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
}
# The only class values kept: the ones the editor gives figures and their captions.
ALLOWED_CLASSES = {"figure": {"figure"}, "figcaption": {"figure-caption"}}
LINK_SCHEMES = {"http", "https", "mailto"}
LIST_TYPES = {"1", "a", "A", "i", "I"}


def from_our_library(src):
    """Whether a picture's address is in our own media library, never another host's.

    MEDIA_URL may itself be absolute (object storage, a CDN): only what follows it is checked.
    """
    rest = src.removeprefix(settings.MEDIA_URL)
    unsafe = rest.startswith("/") or "//" in rest or "\\" in rest
    return src.startswith(settings.MEDIA_URL) and not unsafe


_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def foreign_pictures(html):
    """The addresses of pictures in this HTML that are not from our library (clean_html drops them)."""
    found = (
        next(group for group in match.groups() if group is not None)
        for match in _IMG_SRC.finditer(html or "")
    )
    return [src for src in found if not from_our_library(src)]


def _keep_attribute(tag, attribute, value):
    if tag == "img" and attribute == "src":
        return value if from_our_library(value) else None
    if tag == "img" and attribute in ("width", "height"):
        return value if value.isdigit() and len(value) <= 5 else None
    if tag == "ol" and attribute == "start":
        return value if value.isdigit() and len(value) <= 4 else None
    if tag == "ol" and attribute == "type":
        return value if value in LIST_TYPES else None
    return value


_cleaner = None


def _get_cleaner():
    global _cleaner
    if _cleaner is None:
        _cleaner = nh3.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            allowed_classes=ALLOWED_CLASSES,
            attribute_filter=_keep_attribute,
            url_schemes=LINK_SCHEMES,
            link_rel="noopener noreferrer",
            clean_content_tags={"script", "style"},
        )
    return _cleaner


def clean_html(html):
    """Sanitized HTML for an article body or static page; NUL bytes are dropped too.

    Two passes: taking a tag out can leave nesting that a browser reads differently (a <p> in a
    <p> once a <select> around it has gone). The second pass stores what a browser would read
    back, so cleaning again changes nothing and a body re-saved unedited stays as it was.
    """
    cleaner = _get_cleaner()
    cleaned = cleaner.clean(cleaner.clean((html or "").replace("\x00", "")))
    # A picture whose address was dropped would show as a broken image: it goes, and so does
    # a figure left with nothing but its caption.
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    # Innermost first, until none is left: emptying one figure can empty the one around it.
    while (fewer := _EMPTY_FIGURE.sub("", cleaned)) != cleaned:
        cleaned = fewer
    return cleaned.strip()


# What nh3 writes back is regular (lower-case tags, attributes in double quotes), so these hold.
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
_EMPTY_FIGURE = re.compile(r"<figure[^>]*>\s*(?:<figcaption[^>]*>.*?</figcaption>\s*)?</figure>", re.DOTALL)
