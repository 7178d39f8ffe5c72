"""`manage.py seed_supporters`: a year of made-up supporters and their gifts for the demo, so
Finance's desk, the appeals report and the readership funnel show money on a first run.

Every address is at supporters.canary.example (a name we own); the plans are the development
provider's, each paid up until a day still to come, so nothing renews, reminds or emails on a
first run. Written once: a second run adds nothing.
"""

import random
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from core.commands import require_migrated_database
from supporters.models import CallToAction, Click, Donation, Plan, Supporter
from supporters.models.giving import Frequency

DOMAIN = "supporters.canary.example"
HOW_MANY = 48
FIRST_NAMES = (
    "Ada", "Bilal", "Cerys", "Dara", "Efe", "Fionn", "Grace", "Hamza", "Isla", "Jonah", "Kemi", "Lior",
    "Maya", "Niamh", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tegan", "Uma", "Vikram", "Wren", "Yusuf",
)  # fmt: skip
LAST_NAMES = (
    "Adebayo", "Byrne", "Chowdhury", "Davies", "Evans", "Farrell", "Gallagher", "Hughes", "Iqbal",
    "Jones", "Kowalski", "Lloyd", "Morgan", "Nwosu", "O'Brien", "Patel", "Reilly", "Shah", "Thomas",
)  # fmt: skip
# How they give, in how many of a hundred, and the amounts they choose (pence).
KINDS = (
    (Frequency.MONTHLY, 55, (300, 500, 500, 500, 800, 1000, 1500)),
    (Frequency.ANNUAL, 15, (5000, 6000, 10000, 12000)),
    (Frequency.ONE_OFF, 30, (500, 1000, 1500, 2000, 2500, 5000)),
)


def months_between(start, end):
    """The monthly anniversaries of `start` up to `end` (a 30-day month is close enough here)."""
    moment = start
    while moment <= end:
        yield moment
        moment += timedelta(days=30)


class Command(BaseCommand):
    help = "Add a year of made-up supporters and gifts for the demo. Adds nothing the second time."

    def handle(self, *args, **options):
        require_migrated_database()
        if Supporter.objects.filter(email__endswith=f"@{DOMAIN}").exists():
            self.stdout.write("Demo supporters already present.")
            return
        with transaction.atomic():
            supporters, pence = seed(timezone.now())
        self.stdout.write(
            self.style.SUCCESS(f"Demo supporters: {supporters}, who gave £{pence / 100:,.2f} in all.")
        )


def seed(now, rng=None):
    rng = rng or random.Random(2026)
    stories = list(Article.objects.published(now).order_by("-published_at")[:10])
    appeals = list(CallToAction.objects.filter(enabled=True).order_by("pk")[:3])
    clicks = Counter()
    total = 0
    weights = [share for _, share, _ in KINDS]
    for n in range(HOW_MANY):
        started = now - timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        supporter = Supporter.objects.create(email=f"demo-{n + 1}@{DOMAIN}", name=name, created_at=started)
        frequency, _, amounts = rng.choices(KINDS, weights=weights)[0]
        amount = rng.choice(amounts)
        # Half of them came through an appeal under a story, as the report credits them.
        source = {}
        if appeals and stories and rng.random() < 0.5:
            source = {"call_to_action_id": rng.choice(appeals).pk, "article": rng.choice(stories)}
            day = started.date()
            clicks[(source["call_to_action_id"], source["article"].pk, day)] += rng.randint(3, 12)
        total += give(supporter, frequency, amount, started, now, n, source, rng)
    Click.objects.bulk_create(
        Click(kind=Click.Kind.CALL_TO_ACTION, object_id=appeal, article_id=article, day=day, count=count)
        for (appeal, article, day), count in clicks.items()
    )
    return HOW_MANY, total


def give(supporter, frequency, amount, started, now, n, source, rng):
    """The supporter's plan (if any) and paid gifts; the pence they gave in all."""
    if frequency == Frequency.ONE_OFF:
        pay(supporter, None, frequency, amount, started, f"{n}-0", source, first=True)
        return amount
    period = timedelta(days=30 if frequency == Frequency.MONTHLY else 365)
    paid_times = list(months_between(started, now)) if frequency == Frequency.MONTHLY else [started]
    # A few stopped along the way; the rest are paid up until a day still to come.
    stopped = frequency == Frequency.MONTHLY and len(paid_times) > 3 and rng.random() < 0.15
    if stopped:
        paid_times = paid_times[: rng.randint(2, len(paid_times) - 1)]
    plan = Plan.objects.create(
        supporter=supporter,
        frequency=frequency,
        amount_pence=amount,
        status=Plan.Status.CANCELLED if stopped else Plan.Status.ACTIVE,
        provider="dev",
        provider_subscription_id=f"demo_sub_{n}",
        # Never due within a day: dev billing would renew it, and email, on the first run.
        current_period_end=max(paid_times[-1] + period, now + timedelta(days=2))
        if not stopped
        else paid_times[-1] + period,
        cancelled_at=paid_times[-1] + period if stopped else None,
        created_at=started,
    )
    for k, moment in enumerate(paid_times):
        pay(supporter, plan, frequency, amount, moment, f"{n}-{k}", source if k == 0 else {}, first=k == 0)
    return amount * len(paid_times)


def pay(supporter, plan, frequency, amount, moment, key, source, *, first):
    Donation.objects.create(
        supporter=supporter,
        plan=plan,
        frequency=frequency,
        amount_pence=amount,
        status=Donation.Status.PAID,
        provider="dev",
        provider_payment_id=f"demo_pay_{key}",
        created_at=moment,
        paid_at=moment,
        consent_at=moment if first else None,
        created_supporter=first,
        **source,
    )
