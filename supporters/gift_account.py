"""A claimed gift membership as its recipient sees it on their account page: what they were
given, by whom, from when until when, and what happens when the gifted year ends."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import Plan
from .models.gifts import REMINDER_DAYS

SHOWN = 10  # a handful is plenty; older gifts stay in the data export


@dataclass(frozen=True)
class ReceivedGift:
    giver: str  # empty when the buyer erased their account: "a reader" is shown
    member_from: datetime
    member_until: datetime
    reminder_on: datetime
    state: str  # "waiting" (follows the membership it extends), "running" or "ended"
    after: str  # "plan" (their own gift carries on), "later" (another membership follows) or "nothing"


def received(supporter, now=None, membership_until=None):
    """The recipient's claimed gifts, newest first, each with what happens at its end.

    A fixed few queries however many gifts; pass the membership's end if it is known already.
    """
    now = now or timezone.now()
    gifts = list(supporter.gifts_received.filter(claimed_at__isnull=False).order_by("-member_until")[:SHOWN])
    if not gifts:
        return []
    own_plan = Plan.objects.giving_membership(now).filter(supporter=supporter, cancel_at_period_end=False)
    plan_carries_on = own_plan.exists()
    latest = None
    if not plan_carries_on:
        latest = membership_until if membership_until is not None else supporter.membership_until(now)
    shown = []
    for gift in gifts:
        if gift.member_until <= now:
            state = "ended"
        elif gift.member_from > now:
            state = "waiting"
        else:
            state = "running"
        if plan_carries_on:
            after = "plan"
        elif isinstance(latest, datetime) and latest > gift.member_until:
            after = "later"
        else:
            after = "nothing"
        shown.append(
            ReceivedGift(
                giver=gift.buyer_name,
                member_from=gift.member_from,
                member_until=gift.member_until,
                reminder_on=gift.member_until - timedelta(days=REMINDER_DAYS),
                state=state,
                after=after,
            )
        )
    return shown
