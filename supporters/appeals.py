"""Choosing appeals and house ads for a page, from a copy kept in the shared cache.

Every reader page shows them, so the live ones are read once into the shared cache (see
canary.site_parts) and dropped whenever an appeal, ad or slot changes. A cached page carries
every candidate for a place; cta.js picks one by weight in the reader's browser, so the page
cache is not split.
"""

import random

from django.db.models import Q
from django.utils import timezone

from core import site_parts

from .models import CallToAction, HouseAd

KEY = "appeals:v1"


def _load():
    now = timezone.now()
    not_over = Q(active_until__isnull=True) | Q(active_until__gt=now)
    calls = []
    for cta in CallToAction.objects.filter(not_over, enabled=True).prefetch_related("sections", "tags"):
        calls.append(
            {
                "id": cta.pk,
                "placement": cta.placement,
                "headline": cta.headline,
                "text": cta.text,
                "button_label": cta.button_label,
                "link": cta.link,
                "audience": cta.audience,
                "asks_for_money": cta.asks_for_money,
                "after_paragraph": cta.after_paragraph,
                "weight": cta.weight,
                "sections": [s.pk for s in cta.sections.all()],
                "tags": [t.pk for t in cta.tags.all()],
                "active_from": cta.active_from,
                "active_until": cta.active_until,
            }
        )
    ads = []
    for ad in HouseAd.objects.filter(not_over, enabled=True, slot__enabled=True).select_related(
        "slot", "image"
    ):
        ads.append(
            {
                "id": ad.pk,
                "placement": ad.slot.placement,
                "after_paragraph": ad.slot.after_paragraph,
                "min_paragraphs": ad.slot.min_paragraphs,
                "image_url": ad.image.file.url,
                "image_srcset": ad.image.srcset("webp"),
                "alt": ad.image.alt_text,
                "width": ad.image.width,
                "height": ad.image.height,
                "weight": ad.weight,
                "active_from": ad.active_from,
                "active_until": ad.active_until,
            }
        )
    return {"calls": calls, "ads": ads}


site_parts.register(KEY, _load, 3600)


def everything():
    return site_parts.read(KEY)


def forget(**kwargs):
    site_parts.forget(KEY)


def _live(item, now):
    return (item["active_from"] is None or item["active_from"] <= now) and (
        item["active_until"] is None or item["active_until"] > now
    )


def suits(call, member):
    """Members never see a money appeal, whatever its audience says."""
    if member:
        return call["audience"] in ("members", "everyone") and not call["asks_for_money"]
    return call["audience"] in ("non_members", "everyone")


def calls_for(placement, *, member, article=None, section_id=None, tag_ids=(), section_ids=(), now=None):
    """Live calls to action for a place, heaviest first, targeted by section and tag.

    A place holding several stories (a newsletter issue) gives all their sections and tags: a
    call targeted at any one of them suits it.
    """
    now = now or timezone.now()
    section_id = article.section_id if article is not None else section_id
    sections = {section_id, *section_ids} - {None}
    chosen = []
    for call in everything()["calls"]:
        if call["placement"] != placement or not _live(call, now) or not suits(call, member):
            continue
        if call["sections"] and not sections & set(call["sections"]):
            continue
        if call["tags"] and not set(call["tags"]) & set(tag_ids):
            continue
        chosen.append(call)
    return sorted(chosen, key=lambda call: (-call["weight"], call["id"]))


def pick_by_weight(calls, seed):
    """One of these calls, each in proportion to its weight, as appeals.js picks on a page; the same
    seed gives the same pick, so every worker sending an issue chooses the same appeal."""
    if not calls:
        return None
    return random.Random(seed).choices(calls, weights=[max(call["weight"], 1) for call in calls])[0]  # noqa: S311


def ads_for(placement, *, member, now=None):
    if member:
        return []
    now = now or timezone.now()
    chosen = [ad for ad in everything()["ads"] if ad["placement"] == placement and _live(ad, now)]
    return sorted(chosen, key=lambda ad: (-ad["weight"], ad["id"]))
