from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .. import appeals
from ..body import count_paragraphs, split_after_paragraph

register = template.Library()


def _member(context):
    return bool(context.get("is_member"))


def _article_tags(context):
    return [tag.pk for tag in context.get("tags", [])]


@register.inclusion_tag("supporters/includes/appeal_slot.html", takes_context=True)
def appeal_slot(context, placement, article=None, section=None):
    """Every live candidate for a place; the page's script shows one of them by weight."""
    calls = appeals.calls_for(
        placement,
        member=_member(context),
        article=article,
        section_id=getattr(section, "pk", None),
        tag_ids=_article_tags(context) if article is not None else (),
    )
    return {"calls": calls, "placement": placement, "article": article}


@register.inclusion_tag("supporters/includes/ad_slot.html", takes_context=True)
def ad_slot(context, placement, article=None):
    return {
        "ads": appeals.ads_for(placement, member=_member(context)),
        "placement": placement,
        "article": article,
    }


@register.simple_tag(takes_context=True)
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
    for after, piece_context in sorted(inserts, key=lambda item: -item[0]):
        split = split_after_paragraph(body, after)
        if split is None:
            continue
        template_name = (
            "supporters/includes/ad_slot.html"
            if "ads" in piece_context
            else "supporters/includes/appeal_slot.html"
        )
        piece = render_to_string(template_name, piece_context)
        body = split[0] + piece + split[1]
    return mark_safe(body)  # noqa: S308 - sanitized on save; inserted pieces are our templates
