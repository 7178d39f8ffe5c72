"""WordPress's raw values made into Canary's: plain text, dates, slugs, old paths, error messages."""

import html
import re
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.text import slugify

# WordPress writes post_date in the site's own time zone; a co-op moving to Canary is in London.
LONDON = ZoneInfo("Europe/London")


def plain_text(value):
    """Visible text of some HTML, on one line."""
    value = re.sub(r"<(?:br|/p|/li|/h\d|/blockquote|/figcaption)\b[^>]*>", " ", value or "", flags=re.I)
    return " ".join(html.unescape(strip_tags(value)).split())


def shorten(text, limit):
    """Cut at a word boundary, with an ellipsis, when longer than limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def wordpress_date(gmt, local, label):
    """A WordPress date: the GMT one when set, else the local one read as London time."""
    for value, zone, name in ((gmt, UTC, f"{label}_gmt"), (local, LONDON, label)):
        if value and not value.startswith("0000-00-00"):
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                raise ValueError(f"{name} {value!r} is not a date") from None
    return None


def old_path(link):
    """The path of an old WordPress URL, if it is one a request could arrive at."""
    path = unquote(urlsplit((link or "").strip()).path)
    # "/?p=123" links have only "/" for a path: nothing to remember there.
    if not path.startswith("/") or path == "/" or len(path) > 500:
        return None
    return path


def slug_from(*candidates, limit):
    for candidate in candidates:
        slug = slugify(unquote(candidate or ""))[:limit].strip("-")
        if slug:
            return slug
    return ""


def describe(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error) or type(error).__name__
