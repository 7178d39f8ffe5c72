"""The newsletters' part of a signed-in supporter's account page and of their data export.

Registered with supporters.account_sections in NewslettersConfig.ready. The sign-in by emailed
link proved the address, so a newsletter chosen here is confirmed at once (with a consent
record naming the account page), as from the preferences link; a bounce, a complaint or an
erasure still needs a fresh confirmation by email.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from supporters.sessions import current_supporter

from .. import leaving
from ..links import preferences_url
from ..models import Newsletter, Subscriber, Subscription
from ..signup import subscriber_for


def _subscriber(supporter):
    return Subscriber.objects.filter(email=supporter.email).first()


def _offered(subscriber, member):
    if subscriber is None:
        return Newsletter.objects.public().offered_to(member)
    return leaving.offered(subscriber, member)


def section(request, supporter):
    subscriber = _subscriber(supporter)
    held = {}
    if subscriber is not None:
        held = dict(subscriber.subscriptions.values_list("newsletter_id", "status"))
    rows = [
        {"newsletter": letter, "status": held.get(letter.pk)}
        for letter in _offered(subscriber, supporter.is_member)
    ]
    preferences = None
    if subscriber is not None and Subscription.Status.SUBSCRIBED in held.values():
        preferences = preferences_url(subscriber)
    return mark_safe(  # noqa: S308 - our own template, which escapes every value
        render_to_string(
            "newsletters/account_section.html", {"rows": rows, "preferences": preferences}, request=request
        )
    )


def export(supporter):
    subscriber = _subscriber(supporter)
    if subscriber is None:
        return []
    return [
        {
            "newsletter": subscription.newsletter.name,
            "status": subscription.status,
            "since": subscription.created_at.isoformat(),
            "confirmed_at": subscription.confirmed_at.isoformat() if subscription.confirmed_at else None,
            "paused_until": subscription.paused_until.isoformat() if subscription.paused_until else None,
            "left_at": subscription.left_at.isoformat() if subscription.left_at else None,
            "consents": [
                {
                    "asked_at": consent.asked_at.isoformat(),
                    "confirmed_at": consent.confirmed_at.isoformat() if consent.confirmed_at else None,
                    "where": consent.page or consent.endpoint,
                    "wording": consent.wording,
                }
                for consent in subscription.consents.all()
            ],
        }
        for subscription in subscriber.subscriptions.select_related("newsletter").prefetch_related("consents")
    ]


def _letter(supporter, subscriber, newsletter_id):
    letter = _offered(subscriber, supporter.is_member).filter(pk=newsletter_id).first()
    if letter is None:
        raise Http404("Not a newsletter you can choose.")
    return letter


@require_POST
@login_required
def subscribe(request, newsletter_id):
    supporter = current_supporter(request)
    subscriber = subscriber_for(supporter.email)
    letter = _letter(supporter, subscriber, newsletter_id)
    outcome = leaving.subscribe_proved(
        subscriber, letter, endpoint=request.path, page=reverse("supporters:account")
    )
    if outcome == "confirm":
        messages.info(request, f"To get {letter.name}, press the button in the email we have just sent you.")
    else:
        messages.success(request, f"You are subscribed to {letter.name}.")
    return redirect("supporters:account")


@require_POST
@login_required
def leave(request, newsletter_id):
    supporter = current_supporter(request)
    subscription = (
        Subscription.objects.select_related("subscriber", "newsletter")
        .filter(subscriber__email=supporter.email, newsletter_id=newsletter_id)
        .first()
    )
    if subscription is None:
        raise Http404("You do not get that newsletter.")
    leaving.leave(subscription)
    messages.success(request, f"You have left {subscription.newsletter.name}.")
    return redirect("supporters:account")
