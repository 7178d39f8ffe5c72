import json
import re

from django import template
from django.conf import settings
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

from ..links import link

register = template.Library()

# Characters that could end the <script> element or open a comment inside it.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _date_modified(article):
    """The last change (a correction or update note moves it), never before publication."""
    moments = [moment for moment in (article.updated_at, article.published_at) if moment]
    return max(moments).isoformat() if moments else None


@register.filter
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
        data["image"] = [settings.SITE_URL + article.featured_image.social_url]
    text = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


# urlize looks at every word, and most comments hold no link at all, for which its answer is
# just the escaped text. Nothing it links lacks one of these, so text without them skips it.
MAY_HOLD_A_LINK = re.compile(r"http|www\.|@|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)


@register.filter
def comment_text(text):
    """A reader's words as plain text: escaped, line breaks kept, links marked as theirs."""
    if MAY_HOLD_A_LINK.search(text):
        linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
        linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    else:
        linked = escape(text)
    return mark_safe(linked.replace("\n", "<br>"))  # noqa: S308 - escaped, by urlize or here


@register.filter
def tag_url(tag):
    return link("articles:tag", tag.slug)
