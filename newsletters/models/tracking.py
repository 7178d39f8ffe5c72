"""What a provider told us about a message after it left: each event stored once."""

from django.db import models
from django.utils import timezone


class TrackingEvent(models.Model):
    """One event from a provider's tracking webhook, kept so that a replay changes nothing.

    `key` is the provider's event id, or where it gives none a digest of (message id, event,
    time, recipient); the address itself is kept only as the suppressions keep it, hashed.
    """

    provider = models.CharField(max_length=30)
    key = models.CharField(max_length=200)
    event = models.CharField(max_length=20)
    address_hash = models.CharField(max_length=64, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    delivery = models.ForeignKey(
        "newsletters.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=60, blank=True, help_text="What Canary did about it.")
    detail = models.CharField(max_length=300, blank=True, help_text="The provider's reason, shortened.")

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "key"], name="one_tracking_event")]

    def __str__(self):
        return f"{self.provider} {self.event}: {self.outcome}"
