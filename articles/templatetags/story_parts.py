"""The pieces a reader page repeats many times: teasers, pictures and comments.

They were includes. A page renders up to thirty teasers and a long thread of comments, and an
{% include %} with its nested variables and filters costs far more than the few lines of HTML it
makes, so an uncached front page spent most of its time in them. Here each piece is built once
in Python: teasers and pictures, the most repeated, with f-strings and html.escape (the escaping
Django's own escape() applies, without its per-call checks for lazy strings); comments with
format_html.
"""

from functools import lru_cache
from html import escape as esc

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .articles import comment_text

register = template.Library()

DEFAULT_TEASER_SIZES = "(min-width: 900px) 33vw, 100vw"


def _iso(local):
    """A moment for a datetime attribute: to the second, since HTML allows at most three
    fractional digits and Python's isoformat() writes six whenever there are microseconds."""
    return local.isoformat(timespec="seconds")


@register.filter
def iso_seconds(moment):
    """{{ moment|iso_seconds }}: the moment in the site's time zone, ISO 8601 to the second."""
    if not moment:
        return ""
    return _iso(timezone.localtime(moment))


@register.simple_tag
def site_name():
    """The configured site name, for pages rendered without context processors (500, 503)."""
    return settings.SITE_NAME


def _when(moment, fmt):
    """The machine-readable and the reader's form of a moment, in the site's time zone."""
    local = timezone.localtime(moment)
    return _iso(local), dateformat.format(local, fmt)


@lru_cache(maxsize=1024)
def _day(day, language):
    """A day as a teaser shows it ("3 November 2026"). Stories share days, and the month's name
    goes through translation: each day is formatted once per process and language."""
    return dateformat.format(day, "j F Y")


def _names_in_a_line(names):
    """ "Ana", "Ana and Ben", "Ana, Ben and Cy"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@register.simple_tag
def picture(image, sizes, lazy=False):
    """A responsive picture: WebP and fallback renditions when the worker has made them."""
    loading = ' loading="lazy"' if lazy else ""
    alt = esc(image.alt_text)
    box = f'width="{image.width:d}" height="{image.height:d}"'
    if not image.renditions.get("webp"):
        url = esc(image.file.url)
        return mark_safe(f'<img src="{url}" {box} alt="{alt}"{loading} decoding="async">')  # noqa: S308
    url, sizes = esc(image.largest_fallback_url), esc(sizes)
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<picture>\n  <source type="image/webp" srcset="{esc(image.webp_srcset)}" sizes="{sizes}">\n'
        f'  <img src="{url}" srcset="{esc(image.fallback_srcset)}" sizes="{sizes}" {box} alt="{alt}"'
        f'{loading} decoding="async">\n</picture>'
    )


@register.simple_tag
def teaser(
    article,
    level=3,
    size="",
    show_image=False,
    show_standfirst=False,
    show_section=False,
    lazy=False,
    image_sizes=DEFAULT_TEASER_SIZES,
):
    """A story's teaser in a list; its bylines must be attached first (attach_bylines)."""
    url = esc(article.get_absolute_url())
    level = int(level)
    parts = [f'<article class="teaser teaser--{esc(size)}">' if size else '<article class="teaser">']
    image = article.featured_image
    if image and show_image:
        parts.append(
            f'<a class="teaser__image" href="{url}" tabindex="-1" aria-hidden="true">'
            f"{picture(image, image_sizes, lazy)}</a>"
        )
    parts.append('<div class="teaser__text">')
    if show_section:
        section = article.section
        parts.append(
            f'<p class="kicker"><a href="{esc(section.get_absolute_url())}">{esc(section.name)}</a></p>'
        )
    parts.append(f'<h{level} class="teaser__headline"><a href="{url}">{esc(article.headline)}</a></h{level}>')
    if show_standfirst:
        parts.append(f'<p class="teaser__standfirst">{esc(article.standfirst)}</p>')
    names = article.byline
    local = timezone.localtime(article.published_at)
    iso, shown = _iso(local), _day(local.date(), get_language())
    byline = f"{esc(_names_in_a_line(names))} · " if names else ""
    parts.append(f'<p class="meta">{byline}<time datetime="{iso}">{shown}</time></p></div></article>')
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


@register.simple_tag
def comment_card(comment, article, is_reply=False):
    """One comment: who, when, their words, and (on an open thread) a reply link."""
    iso, shown = _when(comment.created_at, "j M Y, H:i")
    reply = ""
    if article.comments_open and not is_reply:
        reply = format_html(
            '<a class="comment__reply" href="{}">Reply</a>',
            reverse("articles:comment-reply", args=[article.pk, comment.pk]),
        )
    return format_html(
        '<article class="comment__inner" aria-label="Comment by {}">'
        '<p class="comment__meta">{}<strong>{}</strong> · <time datetime="{}">{}</time></p>'
        '<div class="comment__body">{}</div>{}</article>',
        comment.name,
        mark_safe('<span class="pick">Editor’s pick</span> ') if comment.pinned else "",  # noqa: S308
        comment.name,
        iso,
        shown,
        comment_text(comment.body),
        reply,
    )


@register.simple_tag
def comment_list(comments, article):
    """The approved thread: top-level comments in order, each with its replies one level deep."""
    items = []
    for comment in comments:
        replies = ""
        if comment.reply_list:
            replies = format_html(
                '<ol class="comment-replies">{}</ol>',
                format_html_join(
                    "",
                    '<li class="comment comment--reply" id="comment-{}">{}</li>',
                    ((reply.pk, comment_card(reply, article, is_reply=True)) for reply in comment.reply_list),
                ),
            )
        items.append(
            format_html(
                '<li class="comment{}" id="comment-{}">{}{}</li>',
                " comment--pick" if comment.pinned else "",
                comment.pk,
                comment_card(comment, article),
                replies,
            )
        )
    return format_html('<ol class="comment-list">{}</ol>', mark_safe("".join(items)))  # noqa: S308
