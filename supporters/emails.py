"""The supporters' emails: what each template needs, gathered when the email is sent.

Rendering at send time means the outbox holds no live sign-in link, and an email for a person
who has since erased their account is simply not sent.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mailroom.kinds import email_kind
from mailroom.models import Email

from .forms import money
from .models import Donation, Plan, SignInToken, Supporter

SIGN_IN = "supporters/sign_in"


def site_link(name, *args):
    return settings.SITE_URL + reverse(name, args=args)


def frequency_words(frequency):
    return {"monthly": "a month", "annual": "a year"}.get(frequency, "")


@email_kind(SIGN_IN)
def sign_in(params, to):
    """A fresh single-use link, if the address is a supporter's and has not asked too often.

    The request itself was answered the same way for every address; only here, in the
    worker, is the address looked up, and past the limit nothing more is sent (links already
    sent stay valid), so nobody learns who supports and nobody can lock a supporter out.
    """
    supporter = Supporter.objects.filter(email=to, erased_at__isnull=True).first()
    if supporter is None:
        return None
    window = timezone.now() - timedelta(minutes=15)
    recent = Email.objects.filter(
        template=SIGN_IN, to=to, status=Email.Status.SENT, sent_at__gte=window
    ).count()
    if recent >= settings.SIGN_IN_RATE_LIMIT:
        return None
    token = SignInToken.issue(supporter)
    return {
        "link": site_link("supporters:sign-in-link", token),
        "minutes": settings.SIGN_IN_LINK_MINUTES,
    }


@email_kind("supporters/receipt")
def receipt(params, to):
    donation = Donation.objects.select_related("supporter", "plan").filter(pk=params.get("donation")).first()
    if donation is None or donation.supporter.erased_at is not None:
        return None
    return {
        "donation": donation,
        "name": donation.supporter.name,
        "amount": money(donation.amount_pence),
        "paid_on": timezone.localtime(donation.paid_at or donation.created_at),
        "regular": frequency_words(donation.frequency),
        "sign_in_url": site_link("supporters:sign-in"),
    }


@email_kind("supporters/renewal_reminder")
def renewal_reminder(params, to):
    plan = Plan.objects.select_related("supporter").filter(pk=params.get("plan")).first()
    if plan is None or plan.supporter.erased_at is not None or not plan.renews_on(params.get("period_end")):
        return None
    return {
        "name": plan.supporter.name,
        "amount": money(plan.amount_pence),
        "renews_on": timezone.localtime(plan.current_period_end),
        "sign_in_url": site_link("supporters:sign-in"),
    }
