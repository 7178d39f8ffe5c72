"""The pieces a reader page repeats many times: teasers, pictures and comments, and the
small filters the reader's templates use (canary.templating makes them globals and filters).

They were includes. A page renders up to thirty teasers and a long thread of comments, and an
{% include %} with its nested variables and filters costs far more than the few lines of HTML it
makes, so an uncached front page spent most of its time in them. Here each piece is built once
in Python: teasers and pictures, the most repeated, with f-strings and markupsafe's escape (the
escaping Jinja's autoescape applies, so they match the macros in
templates/jinja2/includes/story_parts.html byte for byte), comments too.
"""

import json
import re
from functools import lru_cache

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from markupsafe import escape as esc

from core.links import link

DEFAULT_TEASER_SIZES = "(min-width: 900px) 33vw, 100vw"


def _iso(local):
    """A moment for a datetime attribute: to the second, since HTML allows at most three
    fractional digits and Python's isoformat() writes six whenever there are microseconds."""
    return local.isoformat(timespec="seconds")


def iso_seconds(moment):
    """The moment in the site's time zone, ISO 8601 to the second."""
    if not moment:
        return ""
    return _iso(timezone.localtime(moment))


def site_name():
    """The configured site name, for pages rendered without context processors (500, 503)."""
    return settings.SITE_NAME


@lru_cache(maxsize=2048)
def _day(day, language, fmt="j F Y"):
    """A day as a teaser ("3 November 2026") or a comment ("3 Nov 2026") shows it. Stories and
    comments share days, and the month's name goes through translation: each day is formatted
    once per process and language."""
    return dateformat.format(day, fmt)


def day_and_time(moment):
    """ "Tuesday 1 December 2026, 09:30" in the site's time zone, as an article's dateline shows it."""
    local = timezone.localtime(moment)
    return f"{_day(local.date(), get_language(), 'l j F Y')}, {local:%H:%M}"


def _names_in_a_line(names):
    """ "Ana", "Ana and Ben", "Ana, Ben and Cy"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


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


def comment_card(comment, article, zone, language, is_reply=False):
    """One comment: who, when, their words, and (on an open thread) a reply link."""
    local = comment.created_at.astimezone(zone)
    shown = f"{_day(local.date(), language, 'j M Y')}, {local:%H:%M}"
    name = esc(comment.name)
    pick = '<span class="pick">Editor’s pick</span> ' if comment.pinned else ""
    reply = ""
    if article.comments_open and not is_reply:
        reply = f'<a class="comment__reply" href="{link("articles:comment-reply", article.pk, comment.pk)}">Reply</a>'
    return (
        f'<article class="comment__inner" aria-label="Comment by {name}">'
        f'<p class="comment__meta">{pick}<strong>{name}</strong> · <time datetime="{_iso(local)}">{shown}</time></p>'
        f'<div class="comment__body">{comment_text(comment.body)}</div>{reply}</article>'
    )


def comment_list(comments, article):
    """The approved thread: top-level comments in order, each with its replies one level deep.

    Built with f-strings like the teasers: every reader's value is escaped (esc, or urlize in
    comment_text) and ids and links are ours."""
    # Looked up once for the thread: each is a thread-local read.
    zone, language = timezone.get_current_timezone(), get_language()
    items = []
    for comment in comments:
        replies = ""
        if comment.reply_list:
            replies = "".join(
                f'<li class="comment comment--reply" id="comment-{reply.pk:d}">'
                f"{comment_card(reply, article, zone, language, is_reply=True)}</li>"
                for reply in comment.reply_list
            )
            replies = f'<ol class="comment-replies">{replies}</ol>'
        pick = " comment--pick" if comment.pinned else ""
        items.append(
            f'<li class="comment{pick}" id="comment-{comment.pk:d}">{comment_card(comment, article, zone, language)}{replies}</li>'
        )
    return mark_safe(f'<ol class="comment-list">{"".join(items)}</ol>')  # noqa: S308 - escaped in the parts


# Characters that could end the <script> element or open a comment inside it.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _date_modified(article):
    """The last change (a correction or update note moves it), never before publication."""
    moments = [moment for moment in (article.updated_at, article.published_at) if moment]
    return max(moments).isoformat() if moments else None


def news_article_json_ld(article, authors):
    """Structured data for search engines, escaped so no headline can end the script."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.standfirst,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": _date_modified(article),
        "mainEntityOfPage": settings.SITE_URL + article.get_absolute_url(),
        "articleSection": article.section.name,
        "author": [
            {"@type": "Person", "name": a.name, "url": settings.SITE_URL + a.get_absolute_url()}
            for a in authors
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL},
    }
    if article.featured_image:
        data["image"] = [article.featured_image.social_address]
    text = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


# urlize looks at every word, and most comments hold no link at all, for which its answer is
# just the escaped text. Nothing it links lacks one of these, so text without them skips it.
MAY_HOLD_A_LINK = re.compile(r"http|www\.|@|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)


def comment_text(text):
    """A reader's words as plain text: escaped, line breaks kept, links marked as theirs."""
    if MAY_HOLD_A_LINK.search(text):
        linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
        linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    else:
        linked = escape(text)
    return mark_safe(linked.replace("\n", "<br>"))  # noqa: S308 - escaped, by urlize or here


def tag_url(tag):
    return link("articles:tag", tag.slug)
