"""The click-through redirect: count the click, then send the reader on. No cookie, no address kept."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from core.client_address import client_ip
from core.links import link as link_to
from core.ratelimit import allow

from .. import places
from ..models import CallToAction, Click, HouseAd

logger = logging.getLogger("canary.supporters")


def count(kind, object_id, article_id, issue_id=0):
    key = {
        "kind": kind,
        "object_id": object_id,
        "article_id": article_id,
        "issue_id": issue_id,
        "day": timezone.localdate(),
    }
    if Click.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            Click.objects.create(**key, count=1)
    except IntegrityError:  # another request created today's row first
        Click.objects.filter(**key).update(count=F("count") + 1)


def is_safe_target(link):
    """A full http(s) address an editor chose, or a path on this site; nothing a browser reads otherwise.

    A link such as "/\\evil.example" starts with one slash, yet browsers read the backslash as a
    slash and go to another site; Django's check reads it as they do.
    """
    return link.startswith(("https://", "http://")) or url_has_allowed_host_and_scheme(
        link, allowed_hosts=None
    )


def with_attribution(link, call_id, article_id, issue_id=0):
    """Carry the appeal, the article and the newsletter issue into the support form, so a gift
    can be credited."""
    if not link.startswith(link_to("supporters:support")):
        return link
    separator = "&" if "?" in link else "?"
    query = f"cta={call_id}" + (f"&from={article_id}" if article_id else "")
    query += f"&issue={issue_id}" if issue_id else ""
    return f"{link}{separator}{query}"


def published_article_id(text):
    """The id of the published article a click came from, or 0: any other id is made up (or a story
    since withdrawn), and crediting it would let anyone add rows and clicks to the report."""
    # ASCII digits only: "²".isdigit() is true, but int() refuses it.
    if not (text.isascii() and text.isdigit() and len(text) < 12):
        return 0
    return int(text) if Article.objects.published().filter(pk=int(text)).exists() else 0


@never_cache
@require_safe
def go(request, kind, object_id):
    article_id = published_article_id(request.GET.get("a", ""))
    # From a newsletter's appeal: the issue, never the reader (every copy carries the same link).
    issue_id = places.issue_id(request.GET.get("n", "")) if kind == "c" else 0
    if kind == "c":
        target = CallToAction.objects.filter(pk=object_id).values_list("link", flat=True).first()
        kind_name = Click.Kind.CALL_TO_ACTION
    else:
        target = HouseAd.objects.filter(pk=object_id).values_list("link", flat=True).first()
        kind_name = Click.Kind.HOUSE_AD
    if target is None:
        # Only configured targets: an unknown id goes nowhere, so this is no open redirect.
        raise Http404("No such link")
    if not is_safe_target(target):
        logger.warning(
            "Click-through %s %s has a link browsers would take off-site: %r", kind, object_id, target
        )
        raise Http404("No such link")
    # Over the limit the reader still goes on; the click is simply not counted.
    if allow("clicks:ip", client_ip(request), settings.CLICK_RATE_LIMIT):
        count(kind_name, object_id, article_id, issue_id)
    if kind == "c":
        target = with_attribution(target, object_id, article_id, issue_id)
    return HttpResponseRedirect(target)
