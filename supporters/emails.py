"""The supporters' emails: what each template needs, gathered when the email is sent.

Rendering at send time means the outbox holds no live sign-in link, and an email for a person
who has since erased their account is simply not sent.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from mailroom.kinds import email_kind
from mailroom.models import Email

from .forms import money
from .models import Donation, Plan, SignInToken, Supporter
from .services.failed_payments import card_token, still_failing

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


def _plan(params):
    plan = Plan.objects.select_related("supporter").filter(pk=params.get("plan")).first()
    if plan is None or plan.supporter.erased_at is not None:
        return None
    return plan


def _running(plan):
    return plan.status in (Plan.Status.ACTIVE, Plan.Status.PAST_DUE)


@email_kind("supporters/welcome")
def welcome(params, to):
    """After the first gift ever: what membership brings and how to manage it."""
    donation = Donation.objects.select_related("supporter").filter(pk=params.get("donation")).first()
    if donation is None or donation.supporter.erased_at is not None:
        return None
    return {
        "name": donation.supporter.name,
        "amount": money(donation.amount_pence),
        "regular": frequency_words(donation.frequency),
        "one_off_days": settings.ONE_OFF_MEMBERSHIP_DAYS,
        "sign_in_url": site_link("supporters:sign-in"),
    }


def _about(plan, **more):
    """What every email about a plan says: to whom, how much, how often, and where to manage it."""
    return {
        "name": plan.supporter.name,
        "amount": money(plan.amount_pence),
        "regular": frequency_words(plan.frequency),
        "sign_in_url": site_link("supporters:sign-in"),
        **more,
    }


def _period_end(plan):
    return timezone.localtime(plan.current_period_end) if plan.current_period_end else None


@email_kind("supporters/cancelled")
def cancelled(params, to):
    """The cancellation, confirmed with its end date; nothing if it was taken back meanwhile."""
    plan = _plan(params)
    if plan is None or not plan.cancel_at_period_end or not _running(plan):
        return None
    return _about(plan, ends_on=_period_end(plan))


@email_kind("supporters/resumed")
def resumed(params, to):
    plan = _plan(params)
    if plan is None or plan.cancel_at_period_end or not _running(plan):
        return None
    return _about(plan, next_on=_period_end(plan))


@email_kind("supporters/amount_changed")
def amount_changed(params, to):
    """The new amount and when it starts; nothing if it has changed again since (that one tells)."""
    plan = _plan(params)
    if plan is None or not _running(plan) or plan.amount_pence != params.get("amount_pence"):
        return None
    was = money(params.get("was_pence") or 0)
    if params.get("was") and params["was"] != plan.frequency:
        was = f"{was} {frequency_words(params['was'])}"
    return _about(plan, was=was, from_on=_period_end(plan))


@email_kind("supporters/frequency_changing")
def frequency_changing(params, to):
    """The change of frequency, confirmed with the day it starts; nothing if it was dropped since."""
    plan = _plan(params)
    if (
        plan is None
        or not _running(plan)
        or plan.next_frequency != params.get("frequency")
        or plan.next_amount_pence != params.get("amount_pence")
    ):
        return None
    return _about(
        plan,
        next_amount=money(plan.next_amount_pence),
        next_regular=frequency_words(plan.next_frequency),
        from_on=_period_end(plan),
    )


def _failing(params):
    """The plan of a failed-payment email, while that same failure is still unresolved."""
    plan = _plan(params)
    if plan is None or not still_failing(plan, params.get("since")):
        return None
    return plan


@email_kind("supporters/payment_failed")
def payment_failed(params, to):
    plan = _failing(params)
    if plan is None:
        return None
    return _about(plan, grace_ends_on=timezone.localtime(plan.grace_ends_at()), card_url=_card_url(plan))


@email_kind("supporters/payment_reminder")
def payment_reminder(params, to):
    return payment_failed(params, to)


@email_kind("supporters/grace_ended")
def grace_ended(params, to):
    """Sent as the overdue plan is stopped; nothing if it recovered first after all."""
    plan = _plan(params)
    if plan is None or plan.status != Plan.Status.CANCELLED:
        return None
    return _about(plan, support_url=site_link("supporters:support"))


def _card_url(plan):
    return site_link("supporters:card", card_token(plan))


@email_kind("supporters/giving_reminder")
def giving_reminder(params, to):
    """Six months of a monthly gift: the amount, what it came to, and the way out."""
    plan = _plan(params)
    if plan is None or plan.status != Plan.Status.ACTIVE or plan.cancel_at_period_end:
        return None
    since = timezone.now() - timedelta(days=183)
    given = plan.donations.paid().filter(paid_at__gte=since).aggregate(total=Sum("amount_pence"))["total"]
    return _about(plan, given=money(given or 0), next_on=_period_end(plan))


@email_kind("supporters/account_deleted")
def account_deleted(params, to):
    """The goodbye after an erasure: it looks nothing up, there is nothing left to look up."""
    return {"support_url": site_link("supporters:support")}
