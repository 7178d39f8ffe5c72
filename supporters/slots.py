"""Where calls to action and house ads go on a reader's page: the slots and the article body.

Every live candidate for a place is in the page; the page's script shows one of them by
weight, so a cached page still rotates them. Members see none of it.
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import appeals
from .body import count_paragraphs, split_after_paragraph

APPEAL_SLOT = "supporters/includes/appeal_slot.html"
AD_SLOT = "supporters/includes/ad_slot.html"


def _member(context):
    return bool(context.get("is_member"))


def _article_tags(context):
    return [tag.pk for tag in context.get("tags") or []]


def appeal_slot(context, placement, article=None, section=None):
    calls = appeals.calls_for(
        placement,
        member=_member(context),
        article=article,
        section_id=getattr(section, "pk", None),
        tag_ids=_article_tags(context) if article is not None else (),
    )
    if not calls:
        return ""
    piece = {"calls": calls, "placement": placement, "article": article}
    return mark_safe(render_to_string(APPEAL_SLOT, piece))  # noqa: S308 - our own template, escaped


def ad_slot(context, placement, article=None):
    ads = appeals.ads_for(placement, member=_member(context))
    if not ads:
        return ""
    piece = {"ads": ads, "placement": placement, "article": article}
    return mark_safe(render_to_string(AD_SLOT, piece))  # noqa: S308 - our own template, escaped


def article_body(context, article):
    """The body with an inline appeal and the "Read on…" break between top-level paragraphs.

    The body is our own sanitized HTML; the pieces put into it are rendered templates.
    """
    body = article.body
    member = _member(context)
    inserts = []
    ads = appeals.ads_for("mid_article", member=member)
    if ads and count_paragraphs(body) >= ads[0]["min_paragraphs"]:
        inserts.append((ads[0]["after_paragraph"], ad_slot(context, "mid_article", article)))
    calls = appeals.calls_for("inline", member=member, article=article, tag_ids=_article_tags(context))
    if calls:
        inserts.append((calls[0]["after_paragraph"], appeal_slot(context, "inline", article)))
    # From the last place to the first, so earlier offsets stay right.
    for after, piece in sorted(inserts, key=lambda item: -item[0]):
        split = split_after_paragraph(body, after)
        if split is not None:
            body = split[0] + piece + split[1]
    return mark_safe(body)  # noqa: S308 - sanitized on save; inserted pieces are our templates
