"""Figures for the admin index: money received, members, and a year of weekly trend."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone

from .models import CancelReason, Donation, GiftMembership, PaymentFailure, Plan, Supporter


def start_of_day(now):
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def new_member_ids(since, until):
    """Supporters whose first membership began in [since, until).

    Every paid gift makes its giver a member (a one-off for ONE_OFF_MEMBERSHIP_DAYS), and so does
    claiming a gift membership, so the earlier of the first paid gift and the first claim is when
    membership first began. Buying a gift membership for someone else makes the buyer no member;
    a member who lapsed and came back is not new again.
    """
    gives = Q(donations__status=Donation.Status.PAID) & ~Q(donations__frequency=Donation.Frequency.GIFT)
    firsts = Supporter.objects.annotate(
        first_paid=Min("donations__paid_at", filter=gives),
        first_claim=Min("gifts_received__claimed_at"),
    ).annotate(first=Least(Coalesce("first_paid", "first_claim"), Coalesce("first_claim", "first_paid")))
    return firsts.filter(first__gte=since, first__lt=until).values_list("pk", flat=True)


def period_figures(since, until):
    """What Finance counts over [since, until); the dashboard and the appeals report both read it."""
    received = Donation.objects.paid().filter(paid_at__gte=since, paid_at__lt=until)
    totals = received.aggregate(pence=Sum("amount_pence"), gifts=Count("pk"))
    asked = Plan.objects.filter(cancel_requested_at__gte=since, cancel_requested_at__lt=until)
    by_reason = dict(asked.values_list("cancel_reason").annotate(n=Count("pk")))
    return {
        "received_pence": totals["pence"] or 0,
        "gifts": totals["gifts"],
        "new_members": new_member_ids(since, until).count(),
        "cancellations_asked": sum(by_reason.values()),
        # Why they asked, in the order the form offers the reasons; "" is "rather not say".
        "reasons": [
            (label, by_reason[value])
            for value, label in [*CancelReason.choices, ("", "Gave no reason")]
            if by_reason.get(value)
        ],
        # Renewals declined in the period, and how each has ended so far.
        "failed_payments": dict(
            PaymentFailure.objects.filter(failed_at__gte=since, failed_at__lt=until)
            .values_list("outcome")
            .annotate(n=Count("pk"))
        ),
        "memberships_ended": Plan.objects.filter(cancelled_at__gte=since, cancelled_at__lt=until).count(),
        # Gift memberships: bought (their money is in received_pence and gifts) and claimed.
        "gift_memberships_bought": received.filter(frequency=Donation.Frequency.GIFT).count(),
        "gift_memberships_claimed": GiftMembership.objects.filter(
            claimed_at__gte=since, claimed_at__lt=until
        ).count(),
    }


def figures(now=None):
    """The dashboard: today, this month so far (as the appeals report counts it), and now."""
    now = now or timezone.now()
    today = start_of_day(now)
    month = today.replace(day=1)
    running = Plan.objects.giving_membership(now)
    monthly = running.filter(frequency="monthly").aggregate(total=Sum("amount_pence"))["total"] or 0
    annual = running.filter(frequency="annual").aggregate(total=Sum("amount_pence"))["total"] or 0
    tomorrow = today + timedelta(days=1)
    return {
        **period_figures(month, tomorrow),
        "month_start": month.date(),
        "today": today.date(),
        "today_pence": period_figures(today, tomorrow)["received_pence"],
        "members": Supporter.objects.members(now).count(),
        "mrr_pence": monthly + round(annual / 12),
    }


def weekly(now=None, weeks=52):
    """[(week start, pence received, members at week end)], oldest first, in four queries."""
    now = now or timezone.now()
    start = start_of_day(now) - timedelta(days=7 * weeks - 1)
    buckets = [start + timedelta(days=7 * n) for n in range(weeks)]
    money = [0] * weeks
    by_day = (
        Donation.objects.paid()
        .filter(paid_at__gte=start)
        .annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(total=Sum("amount_pence"))
    )
    for row in by_day:
        index = min(weeks - 1, (row["day"] - start.date()).days // 7)
        money[index] += row["total"]

    plans = list(
        Plan.objects.exclude(status=Plan.Status.PENDING)
        .annotate(started=Min("donations__paid_at"))
        .values_list("supporter_id", "started", "cancelled_at")
    )
    one_offs = list(
        Donation.objects.paid().filter(frequency="one_off").values_list("supporter_id", "paid_at")
    )
    gifted = list(
        GiftMembership.objects.filter(claimed_by__isnull=False).values_list(
            "claimed_by_id", "member_from", "member_until"
        )
    )
    one_off_days = timedelta(days=settings.ONE_OFF_MEMBERSHIP_DAYS)
    members = []
    for week_start in buckets:
        end = week_start + timedelta(days=7)
        current = {
            s
            for s, started, cancelled in plans
            if started and started < end and (not cancelled or cancelled >= end)
        }
        current |= {s for s, paid_at in one_offs if paid_at and end - one_off_days <= paid_at < end}
        current |= {s for s, start, until in gifted if start < end <= until}
        members.append(len(current))
    return list(zip(buckets, money, members, strict=True))
