import json

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

register = template.Library()

# Characters that could end the <script> element or open a comment inside it.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def news_article_json_ld(article, authors):
    """Structured data for search engines, escaped so no headline can end the script."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.standfirst,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
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
