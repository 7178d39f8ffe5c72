"""Declined renewals and how each ended, written by Plan.apply_state as plans move."""

from django.db import models

from .giving import Plan


class PaymentFailure(models.Model):
    """One declined renewal and how it ended, for Finance: recovered, lost, or still open."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Still open"
        RECOVERED = "recovered", "Recovered"
        LOST = "lost", "Lost"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="payment_failures")
    failed_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=9, choices=Outcome.choices, default=Outcome.OPEN)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.plan} failed {self.failed_at:%d %b %Y}: {self.get_outcome_display()}"

    @classmethod
    def note_move(cls, plan, was, now_status, at):
        """Every path that moves a plan passes here (Plan.apply_state), so the record is whole."""
        if now_status == Plan.Status.PAST_DUE and was != Plan.Status.PAST_DUE:
            cls.objects.create(plan=plan, failed_at=at)
        elif was == Plan.Status.PAST_DUE and now_status != Plan.Status.PAST_DUE:
            outcome = cls.Outcome.RECOVERED if now_status == Plan.Status.ACTIVE else cls.Outcome.LOST
            cls.objects.filter(plan=plan, outcome=cls.Outcome.OPEN).update(outcome=outcome, settled_at=at)
