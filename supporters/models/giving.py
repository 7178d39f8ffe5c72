from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ..exceptions import IllegalTransition


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    ANNUAL = "annual", "Annual"
    ONE_OFF = "one_off", "One-off"
    # A year of membership bought for someone else: money received, but no membership for the buyer.
    GIFT = "gift", "Gift membership"


class PlanQuerySet(models.QuerySet):
    def giving_membership(self, now=None):
        """Active plans, and past-due ones still inside their grace period."""
        now = now or timezone.now()
        grace_start = now - timedelta(days=settings.PAST_DUE_GRACE_DAYS)
        return self.filter(
            Q(status=Plan.Status.ACTIVE) | Q(status=Plan.Status.PAST_DUE, past_due_since__gte=grace_start)
        )


LOCKED_STATE = ("status", "cancel_at_period_end", "amount_pence", "current_period_end")


CANCEL_NOTE_MAX = 500


class CancelReason(models.TextChoices):
    """Why members stop, asked once and optional: Finance sees the counts."""

    MONEY = "money", "It costs too much just now"
    READING = "reading", "I don’t read enough to make it worthwhile"
    JOURNALISM = "journalism", "I disagree with something you published"
    ELSEWHERE = "elsewhere", "I support you another way"
    OTHER = "other", "Something else"


class Plan(models.Model):
    """A monthly or annual gift that renews until it is cancelled."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the first payment"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Payment overdue"
        CANCELLED = "cancelled", "Cancelled"

    supporter = models.ForeignKey("supporters.Supporter", on_delete=models.PROTECT, related_name="plans")
    frequency = models.CharField(
        max_length=8, choices=[c for c in Frequency.choices if c[0] in ("monthly", "annual")]
    )
    amount_pence = models.PositiveIntegerField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PENDING, db_index=True)
    provider = models.CharField(max_length=10)
    provider_subscription_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    provider_customer_id = models.CharField(max_length=120, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the member (or the provider's own page) asked for the plan to end: the finance figures
    # count requests apart from plans that have ended.
    cancel_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField("In the member's words", max_length=CANCEL_NOTE_MAX, blank=True)
    # A change of frequency waits for the end of the period already paid for (Stripe: a
    # subscription schedule, whose id is kept to release it if the member cancels first).
    next_frequency = models.CharField(max_length=8, blank=True, editable=False)
    next_amount_pence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    provider_schedule_id = models.CharField(max_length=120, blank=True, editable=False)
    # The provider's timestamp of the last event applied: an older event never moves the plan back.
    state_as_of = models.DateTimeField(null=True, blank=True)
    renewal_reminder_for = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Brought over from the co-op's old shop (supporters/importing.py): the key is derived from the
    # row, so importing the same file again finds this plan instead of making a second one.
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Imported supporters hear from us only when Finance asks (supporters/import_welcome.py), once.
    welcomed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"£{self.amount_pence / 100:,.2f} {self.get_frequency_display().lower()} ({self.get_status_display()})"

    def renews_on(self, period_end_iso):
        """Whether the plan still renews, as planned, at the end of the period named."""
        return (
            self.status == Plan.Status.ACTIVE
            and not self.cancel_at_period_end
            and self.current_period_end is not None
            and self.current_period_end.isoformat() == period_end_iso
        )

    # --- The member's own moves: the state rules live here, the provider's part in services ----

    def cancel(self, *, reason="", note=""):
        """End at the close of the paid period; only a running plan not already ending can.

        Call it in the transaction that asks the provider: a provider that refuses rolls it back.
        """
        self._lock()
        if self.status not in RUNNING:
            raise IllegalTransition("Only a running plan can be cancelled.")
        if self.cancel_at_period_end:
            raise IllegalTransition("This plan already ends at the close of its paid period.")
        if reason and reason not in CancelReason.values:
            raise IllegalTransition("That is not one of the reasons we ask about.")
        self.cancel_at_period_end = True
        self.cancel_requested_at = timezone.now()
        self.cancel_reason, self.cancel_note = reason, note[:CANCEL_NOTE_MAX]
        # Stopping wins over a change of frequency still waiting for the period end.
        self.next_frequency, self.next_amount_pence = "", None
        self.save(
            update_fields=[
                "cancel_at_period_end",
                "cancel_requested_at",
                "cancel_reason",
                "cancel_note",
                "next_frequency",
                "next_amount_pence",
            ]
        )

    def change_frequency(self, frequency, amount_pence):
        """Give monthly instead of yearly (or the other way) from the end of the paid period.

        Nothing changes now and nothing is charged early: the new frequency and amount wait on
        the plan until the provider says the new period has begun (`take_up_new_frequency`).
        """
        self._lock()
        if self.status not in RUNNING or self.cancel_at_period_end:
            raise IllegalTransition("Only a running gift that is not ending can change how often it comes.")
        if frequency not in ("monthly", "annual") or frequency == self.frequency:
            raise IllegalTransition("Choose the other frequency: monthly or annual.")
        if not isinstance(amount_pence, int) or amount_pence <= 0:
            raise IllegalTransition("A plan gives a whole number of pence, more than none.")
        self.next_frequency, self.next_amount_pence = frequency, amount_pence
        self.save(update_fields=["next_frequency", "next_amount_pence"])

    def take_up_new_frequency(self, frequency, amount_pence):
        """The provider began the new period at the frequency asked for: the plan follows it."""
        if frequency != self.next_frequency:
            return False
        self.frequency = frequency
        self.amount_pence = amount_pence or self.next_amount_pence
        self.next_frequency, self.next_amount_pence, self.provider_schedule_id = "", None, ""
        self.save(
            update_fields=[
                "frequency",
                "amount_pence",
                "next_frequency",
                "next_amount_pence",
                "provider_schedule_id",
            ]
        )
        return True

    def resume(self, now=None):
        """Take a cancellation back before the paid period ends: the plan renews as before."""
        self._lock()
        now = now or timezone.now()
        if self.status not in RUNNING or not self.cancel_at_period_end:
            raise IllegalTransition("Only a gift that is ending can be resumed.")
        if self.current_period_end is not None and self.current_period_end <= now:
            raise IllegalTransition("This gift has already ended; give again to come back.")
        self.cancel_at_period_end = False
        self.cancel_requested_at = None
        self.save(update_fields=["cancel_at_period_end", "cancel_requested_at"])

    def change_amount(self, amount_pence):
        """Give this much from the next payment on; only a running plan can."""
        self._lock()
        if self.status not in RUNNING:
            raise IllegalTransition("Only a running plan can change its amount.")
        if self.next_frequency:
            raise IllegalTransition(
                "A change of how often you give is waiting for the end of this period; change the amount after it."
            )
        if not isinstance(amount_pence, int) or amount_pence <= 0:
            raise IllegalTransition("A plan gives a whole number of pence, more than none.")
        self.amount_pence = amount_pence
        self.save(update_fields=["amount_pence"])

    def _lock(self):
        """Read the state again under a row lock, so two moves at once are made one by one."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("A plan's move runs inside the transaction that asks the provider.")
        current = Plan.objects.select_for_update().filter(pk=self.pk).values(*LOCKED_STATE).get()
        for name, value in current.items():
            setattr(self, name, value)

    def grace_ends_at(self):
        """When a plan whose payment failed stops making its giver a member, if it has not recovered."""
        if self.status != Plan.Status.PAST_DUE or self.past_due_since is None:
            return None
        return self.past_due_since + timedelta(days=settings.PAST_DUE_GRACE_DAYS)

    def is_stale(self, occurred_at):
        return occurred_at is not None and self.state_as_of is not None and occurred_at < self.state_as_of

    def apply_state(self, status, occurred_at, period_end=None, cancel_at_period_end=None):
        """Move to the provider's view of the plan, unless we already know a newer one."""
        if self.is_stale(occurred_at):
            return False
        now = timezone.now()
        was = self.status
        if status == Plan.Status.PAST_DUE and self.status != Plan.Status.PAST_DUE:
            self.past_due_since = now
        if status != Plan.Status.PAST_DUE:
            self.past_due_since = None
        if status == Plan.Status.CANCELLED and self.cancelled_at is None:
            self.cancelled_at = now
        self.status = status
        if period_end is not None:
            self.current_period_end = period_end
        if cancel_at_period_end is not None:
            if cancel_at_period_end and not self.cancel_at_period_end:
                self.cancel_requested_at = self.cancel_requested_at or now
            elif not cancel_at_period_end and status != Plan.Status.CANCELLED:
                self.cancel_requested_at = None  # taken back before the end
            self.cancel_at_period_end = cancel_at_period_end
        self.state_as_of = occurred_at or now
        self.save()
        # Through the relation, not an import: failures.py builds on this module.
        self.payment_failures.model.note_move(self, was, status, now)
        return True


RUNNING = (Plan.Status.ACTIVE, Plan.Status.PAST_DUE)


class DonationQuerySet(models.QuerySet):
    def paid(self):
        return self.filter(status=Donation.Status.PAID)

    def granting_membership(self, now=None):
        """Paid gifts that make their giver a member now: a recent one-off, or a running plan's."""
        now = now or timezone.now()
        one_off_since = now - timedelta(days=settings.ONE_OFF_MEMBERSHIP_DAYS)
        return self.paid().filter(
            Q(frequency=Frequency.ONE_OFF, paid_at__gte=one_off_since)
            | Q(plan__in=Plan.objects.giving_membership(now))
        )

    def disownable(self):
        """Gifts started with the address by a browser that had not proved it reads its mail."""
        return self.filter(unproven=True, disowned_at__isnull=True)


class Donation(models.Model):
    """One payment: a one-off gift, or one instalment of a plan, each its own row."""

    Frequency = Frequency

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for payment"
        PROCESSING = "processing", "Payment processing"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"
        DECLINED = "declined", "Declined at checkout"
        REFUNDED = "refunded", "Refunded"

    supporter = models.ForeignKey("supporters.Supporter", on_delete=models.PROTECT, related_name="donations")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="donations")
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    amount_pence = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="gbp")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    provider = models.CharField(max_length=10)
    provider_checkout_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    provider_payment_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    # True when this donation brought the supporter row into being: only then may the
    # browser that paid be signed in without an emailed link.
    created_supporter = models.BooleanField(default=False, editable=False)
    # Started by a browser that had not signed in by emailed link as this address's owner:
    # anyone can type any address. The owner sees such gifts and can disown them.
    unproven = models.BooleanField(default=False, editable=False)
    # What the giver typed as their name. It becomes the supporter's name only when the
    # giver has proved the address: a stranger's words never reach the owner's mail.
    given_name = models.CharField(max_length=120, blank=True)
    disowned_at = models.DateTimeField(
        null=True, blank=True, help_text="The address's owner said this gift was not theirs."
    )
    call_to_action_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # The newsletter issue the giver came from, through its appeal (see supporters.places).
    newsletter_issue_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"£{self.amount_pence / 100:,.2f} {self.get_frequency_display().lower()} from {self.supporter}"

    @property
    def amount(self):
        return self.amount_pence / 100

    def _move(self, allowed_from, status):
        if self.status not in allowed_from:
            raise IllegalTransition(f"A {self.get_status_display().lower()} donation cannot become {status}.")
        self.status = status

    def mark_paid(self, payment_id=None, paid_at=None):
        if self.status == Donation.Status.PAID:
            return False
        self._move({self.Status.PENDING, self.Status.PROCESSING, self.Status.FAILED}, self.Status.PAID)
        self.paid_at = paid_at or timezone.now()
        if payment_id:
            self.provider_payment_id = payment_id
        self.save()
        return True

    def mark_processing(self, payment_id=None):
        if self.status != Donation.Status.PENDING:
            return False
        self.status = self.Status.PROCESSING
        if payment_id:
            self.provider_payment_id = payment_id
        self.save()
        return True

    def mark_failed(self):
        if self.status in (self.Status.PAID, self.Status.REFUNDED, self.Status.FAILED):
            return False
        self._move({self.Status.PENDING, self.Status.PROCESSING}, self.Status.FAILED)
        self.save()
        return True

    def mark_declined(self):
        self._move({self.Status.PENDING}, self.Status.DECLINED)
        self.save()

    def mark_refunded(self):
        if self.status == self.Status.REFUNDED:
            return False
        self._move({self.Status.PAID}, self.Status.REFUNDED)
        self.save()
        return True


class ProviderEvent(models.Model):
    """A payment provider's event, stored in the same transaction as its effect.

    The unique constraint on (provider, event_id) makes a retried, replayed or concurrent
    duplicate a no-op: the second insert fails and its transaction changes nothing.
    """

    provider = models.CharField(max_length=10)
    event_id = models.CharField(max_length=120)
    type = models.CharField(max_length=80)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="unique_provider_event")]
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.provider} {self.type} {self.event_id}"
