"""Bringing a co-op's existing supporters over from its old shop, without asking for a card again.

Each row of the file ends one of six ways, said with its line number:
- linked: a subscription Stripe already bills is tied to a new plan (read, never changed);
- created: a subscription the shop billed itself is started at Stripe on the saved card, free
  until the row's next payment date, so the first charge is the one the shop would have taken;
- added: a supporter or payment kept as history (a row without Stripe ids cannot renew);
- updated, skipped: the row was imported before (its key is derived from the row), so
  importing a file twice changes nothing the second time;
- invalid: the message says which cell and why; the other rows still go in.

Imported supporters get no email here; only their gift's usual reminders are scheduled.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import import_rows
from .exceptions import ProviderError
from .forms import money
from .import_rows import SupporterRow, Unreadable
from .models import Donation, Plan, Supporter
from .payments import stripe_import
from .payments.stripe import object_id
from .services.notices import schedule_renewal_reminder

OUTCOMES = ("added", "linked", "created", "updated", "skipped", "invalid")
IMPORTED = "import"  # Plan.provider and Donation.provider of rows that only keep history


@dataclass
class Tally:
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rows: int = 0

    def summary(self):
        said = ", ".join(f"{self.counts[o]} {o}" for o in OUTCOMES)
        return f"{'Dry run, nothing changed: would have ' if self.dry_run else ''}{said}."


def row_key(*parts):
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]


def run(lines, *, dry_run=False, say=print, progress=None):
    """Import an open text file (or any iterator of lines), one row at a time; returns the Tally.

    Raises Unreadable, before changing anything if the header is wrong, when the file cannot be read.
    """
    tally = Tally(dry_run=dry_run)
    kind, ignored, rows = import_rows.open_rows(lines)
    if ignored:
        say(f"line 1: columns not imported: {', '.join(import_rows.shown(c) for c in ignored)}")
    parse = import_rows.supporter_row if kind == "supporters" else import_rows.payment_row
    apply = apply_supporter if kind == "supporters" else apply_payment
    for line, cells in rows:
        row, errors = parse(line, cells)
        if errors:
            outcome, messages = "invalid", errors
        else:
            outcome, message = apply(row, dry_run)
            messages = [
                f"line {line}: {outcome}: {message}" if outcome != "invalid" else f"line {line}: {message}"
            ]
        tally.counts[outcome] += 1
        tally.rows += 1
        for message in messages:
            say(message)
        if progress is not None:
            progress(line, tally)
    return tally


def from_stripe(*, dry_run=False, say=print):
    """Link every active subscription of the Stripe account, making supporters for new addresses."""
    tally = Tally(dry_run=dry_run)
    for sub in stripe_import.active_subscriptions():
        customer = sub.get("customer") if isinstance(sub.get("customer"), dict) else {}
        pence, frequency, currency = stripe_import.terms(sub)
        email = (customer.get("email") or "").strip().lower()
        if not email:
            outcome, message = "invalid", "its customer has no email address"
        elif frequency is None or currency != "GBP":
            outcome, message = "invalid", "it is not a single monthly or annual gift in pounds"
        else:
            row = SupporterRow(
                line=0, email=email, name=(customer.get("name") or "")[:120], pence=pence,
                frequency=frequency, running=True, start_date=None, next_payment=None,
                customer_id=customer.get("id", ""), subscription_id=sub["id"],
            )  # fmt: skip
            outcome, message = link(row, dry_run, fetched=sub)
        tally.counts[outcome] += 1
        tally.rows += 1
        say(f"subscription {sub['id']}: {outcome}: {message}")
    return tally


# --- One supporter row --------------------------------------------------------------------------


def apply_supporter(row, dry_run):
    try:
        if row.running and row.subscription_id:
            return link(row, dry_run)
        if row.running and row.customer_id:
            return create(row, dry_run)
    except stripe_import.NotAtStripe:
        return (
            "invalid",
            f"Stripe has no {'subscription ' + row.subscription_id if row.subscription_id else 'customer ' + row.customer_id}",
        )
    except ProviderError:
        return "invalid", "Stripe could not be reached; nothing changed for this row, import the file again"
    return history(row, dry_run)


def supporter_for(row, dry_run):
    """The supporter with the row's address, made if new; (supporter or None, name filled in)."""
    supporter = Supporter.objects.filter(email=row.email).first()
    if dry_run:
        return supporter, False
    if supporter is None:
        return Supporter.objects.create(email=row.email, name=row.name), False
    if row.name and not supporter.name:
        supporter.name = row.name
        supporter.save(update_fields=["name"])
        return supporter, True
    return supporter, False


def again(plan, row, dry_run):
    """A row imported before: only a missing name may be filled in."""
    if plan.supporter.email != row.email:
        return "invalid", "this Stripe subscription is already another supporter's plan"
    if row.name and not plan.supporter.name:
        if not dry_run:
            Supporter.objects.filter(pk=plan.supporter_id).update(name=row.name)
        return "updated", "name filled in"
    return "skipped", "imported before" if plan.imported_at else "already a plan here (given through Canary)"


def when(day):
    return datetime.combine(day, time(12), tzinfo=UTC) if day else None


def new_plan(row, supporter, **fields):
    return Plan.objects.create(
        supporter=supporter,
        frequency=row.frequency,
        amount_pence=row.pence,
        created_at=when(row.start_date) or timezone.now(),
        imported_at=timezone.now(),
        **fields,
    )


def link(row, dry_run, fetched=None):
    found = (
        Plan.objects.select_related("supporter").filter(provider_subscription_id=row.subscription_id).first()
    )
    if found is not None:
        return again(found, row, dry_run)
    sub = fetched or stripe_import.subscription(row.subscription_id)
    if sub.get("status") not in stripe_import.RUNNING:
        return "invalid", f"Stripe subscription {row.subscription_id} is {sub.get('status')}, not active"
    pence, frequency, currency = stripe_import.terms(sub)
    if (pence, frequency, currency) != (row.pence, row.frequency, "GBP"):
        takes = f"{money(pence or 0)} {frequency or 'in another rhythm'}" + (
            "" if currency == "GBP" else f" in {currency}"
        )
        return (
            "invalid",
            f"Stripe takes {takes} for {row.subscription_id}; the file says {money(row.pence)} {row.frequency}",
        )
    customer = object_id(sub.get("customer")) or ""
    if row.customer_id and customer != row.customer_id:
        return (
            "invalid",
            f"Stripe subscription {row.subscription_id} belongs to customer {customer}, not {row.customer_id}",
        )
    if dry_run:
        return "linked", f"would link {row.email} to {row.subscription_id}"
    try:
        with transaction.atomic():
            supporter, _ = supporter_for(row, dry_run)
            plan = new_plan(
                row, supporter, status=Plan.Status.ACTIVE, provider="stripe",
                provider_subscription_id=row.subscription_id, provider_customer_id=customer,
                current_period_end=stripe_import.period_end_of(sub),
                cancel_at_period_end=bool(sub.get("cancel_at_period_end")), import_key=f"sub:{row.subscription_id}",
            )  # fmt: skip
            schedule_renewal_reminder(plan)
    except IntegrityError:
        return "skipped", "imported at the same moment by another run"
    return "linked", f"{row.email} to {row.subscription_id}, next payment {plan.current_period_end:%-d %B %Y}"


def create(row, dry_run):
    key = row_key("cus", row.customer_id, row.email, row.frequency, row.start_date)
    found = Plan.objects.select_related("supporter").filter(import_key=key).first()
    if found is not None:
        return again(found, row, dry_run)
    card = stripe_import.saved_card(row.customer_id)
    if card is None:
        return "invalid", f"Stripe customer {row.customer_id} has no saved card; invite them to give again"
    first_charge = when(row.next_payment)
    plan_words = f"{money(row.pence)} {row.frequency}, first charge on {row.next_payment:%-d %B %Y}"
    if dry_run:
        return "created", f"would start {plan_words} for {row.email}"
    # An earlier run that crashed after Stripe answered left it there: find it, never make two.
    sub = stripe_import.made_for(row.customer_id, key) or stripe_import.create_subscription(
        customer_id=row.customer_id, card=card, pence=row.pence, frequency=row.frequency,
        first_charge_at=first_charge, key=key,
    )  # fmt: skip
    try:
        with transaction.atomic():
            supporter, _ = supporter_for(row, dry_run)
            plan = new_plan(
                row, supporter, status=Plan.Status.ACTIVE, provider="stripe", provider_subscription_id=sub["id"],
                provider_customer_id=row.customer_id, current_period_end=first_charge, import_key=key,
            )  # fmt: skip
            schedule_renewal_reminder(plan)
    except IntegrityError:
        return "skipped", "imported at the same moment by another run"
    return "created", f"{sub['id']}: {plan_words}"


def history(row, dry_run):
    key = row_key("old", row.email, row.frequency, row.pence, row.start_date)
    found = Plan.objects.select_related("supporter").filter(import_key=key).first()
    if found is not None:
        return again(found, row, dry_run)
    why = "it has no Stripe ids, so it cannot renew" if row.running else "it had stopped in the shop"
    if not dry_run:
        try:
            with transaction.atomic():
                supporter, _ = supporter_for(row, dry_run)
                # Cancelled with no end date: history only, never counted as ending this month.
                new_plan(row, supporter, status=Plan.Status.CANCELLED, provider=IMPORTED, import_key=key)
        except IntegrityError:
            return "skipped", "imported at the same moment by another run"
    return "added", f"{row.email} as history ({why}); invite them to give again"


# --- One past payment ---------------------------------------------------------------------------


def apply_payment(row, dry_run):
    key = "import:" + row_key(row.email, row.paid_at.date(), row.pence, row.frequency, row.reference)
    if Donation.objects.filter(provider_payment_id=key).exists():
        return "skipped", "imported before"
    said = f"{money(row.pence)} on {row.paid_at:%-d %B %Y} from {row.email}"
    if dry_run:
        return "added", f"would add {said}"
    try:
        with transaction.atomic():
            supporter = Supporter.objects.filter(email=row.email).first() or Supporter.objects.create(
                email=row.email
            )
            plan = supporter.plans.filter(frequency=row.frequency, imported_at__isnull=False).first()
            Donation.objects.create(
                supporter=supporter, plan=plan, frequency=row.frequency, amount_pence=row.pence,
                status=Donation.Status.PAID, provider=IMPORTED, provider_payment_id=key,
                created_at=row.paid_at, paid_at=row.paid_at,
            )  # fmt: skip
    except IntegrityError:
        return "skipped", "imported at the same moment by another run"
    return "added", said


__all__ = ["OUTCOMES", "Tally", "Unreadable", "from_stripe", "run"]
