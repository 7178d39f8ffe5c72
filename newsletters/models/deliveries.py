"""Who an issue goes to, frozen when it starts, in batches that workers claim one at a time.

A batch is claimed by a conditional UPDATE that sets a fresh claim token and a lease: only one
worker's UPDATE matches, however many try at once. The holder renews the lease as it records
what it sent, after so many messages or a third of the lease, whichever comes first; a worker that dies leaves a lease that runs out, and the clock
(newsletters.jobs.reclaim_expired_batches) gives the batch a new task. A holder whose renewal
matches nothing has lost the batch and stops.
"""

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class BatchQuerySet(models.QuerySet):
    def expired(self, now):
        return self.filter(state=Batch.State.CLAIMED, lease_until__lt=now)

    def unfinished(self):
        return self.exclude(state=Batch.State.DONE)


class Batch(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for a worker"
        CLAIMED = "claimed", "Being sent"
        DONE = "done", "Done"

    issue = models.ForeignKey("newsletters.Issue", on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=7, choices=State.choices, default=State.WAITING)
    claim = models.CharField(max_length=32, blank=True, help_text="The current holder's token.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "number"]
        verbose_name_plural = "batches"
        constraints = [models.UniqueConstraint(fields=["issue", "number"], name="one_batch_number_per_issue")]
        indexes = [models.Index(fields=["state", "lease_until"], name="batch_lease_idx")]

    def __str__(self):
        return f"{self.issue_id} #{self.number}"

    @classmethod
    def take(cls, pk, lease, now=None):
        """Claim a waiting batch, or one whose holder's lease ran out; its token, or None."""
        now = now or timezone.now()
        token = secrets.token_hex(16)
        taken = cls.objects.filter(
            Q(state=cls.State.WAITING) | Q(state=cls.State.CLAIMED, lease_until__lt=now), pk=pk
        ).update(
            state=cls.State.CLAIMED,
            claim=token,
            claimed_at=now,
            lease_until=now + lease,
            attempts=F("attempts") + 1,
        )
        return token if taken else None

    @classmethod
    def held(cls, pk, token):
        return cls.objects.filter(pk=pk, state=cls.State.CLAIMED, claim=token)

    @classmethod
    def renew(cls, pk, token, lease, now=None):
        """Extend the lease; False when another worker has taken the batch over."""
        return bool(cls.held(pk, token).update(lease_until=(now or timezone.now()) + lease))

    @classmethod
    def release(cls, pk, token, error=""):
        """Give the batch back unfinished (a pause, a mail server away) for a later task."""
        return bool(
            cls.held(pk, token).update(
                state=cls.State.WAITING, claim="", lease_until=None, last_error=error[:300]
            )
        )

    @classmethod
    def complete(cls, pk, token):
        return bool(
            cls.held(pk, token).update(
                state=cls.State.DONE, claim="", lease_until=None, finished_at=timezone.now()
            )
        )


def abandon(batch_id, reason):
    """Stop trying a batch that failed too often: what is left of it is failed, and it is done."""
    Delivery.objects.filter(batch_id=batch_id, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.FAILED, at=timezone.now(), error=reason[:300]
    )
    Batch.objects.filter(pk=batch_id).update(
        state=Batch.State.DONE,
        claim="",
        lease_until=None,
        finished_at=timezone.now(),
        last_error=reason[:300],
    )


class DeliveryQuerySet(models.QuerySet):
    def counts(self):
        """{status: number} for these deliveries, every status present."""
        found = dict(self.values_list("status").annotate(n=models.Count("id")).order_by())
        return {status: found.get(status, 0) for status in Delivery.Status.values}


class Delivery(models.Model):
    """One recipient of one issue: written when the audience is frozen, updated as it is sent.

    Not an outbox email: the outbox is for transactional mail, one row per message with its
    own retries; an issue's thousands of messages go out through the batches instead.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (left or suppressed since)"
        BOUNCED = "bounced", "Refused by the server"

    issue = models.ForeignKey("newsletters.Issue", on_delete=models.CASCADE, related_name="deliveries")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        "newsletters.Subscriber", on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    at = models.DateTimeField(null=True, blank=True, help_text="When it was sent, refused or skipped.")
    error = models.CharField(max_length=300, blank=True)
    # The provider's id for the message (or our Message-ID over SMTP), so its events find it.
    message_id = models.CharField(max_length=200, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_per_subscriber")
        ]
        indexes = [
            models.Index(fields=["batch", "status"], name="delivery_batch_status_idx"),
            models.Index(fields=["message_id"], condition=~Q(message_id=""), name="delivery_message_id_idx"),
        ]

    def __str__(self):
        return f"{self.issue_id} → {self.subscriber_id}: {self.status}"
