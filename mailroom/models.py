from django.db import models
from django.utils import timezone


class Email(models.Model):
    """An email we owe someone, kept until it is delivered or given up on.

    Writing the row in the same transaction as the comment, donation or sign-in request
    that asks for it means a mail outage can delay an email but never lose one.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"
        EXPIRED = "expired", "Expired unsent"

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Not worth sending after this (a sign-in link, say)."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="email_status_idx")]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()
