from django.db import models
from django.utils import timezone


class EmailQuerySet(models.QuerySet):
    def to_address(self, address):
        return self.filter(to__iexact=address.strip())

    def stranded(self, now, after):
        """Queued emails whose delivery task is lost: not attempted, nor in hand, for `after`.

        A task row commits with its email, but a worker that dies mid-task leaves its task
        marked running for good, and an email can outlive a dropped task queue.
        """
        cutoff = now - after
        return self.filter(status=Email.Status.QUEUED, next_attempt_at__lt=cutoff).filter(
            models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=cutoff)
        )


class Email(models.Model):
    """An email we owe someone, kept until it is delivered or given up on.

    Writing the row (and its delivery task) in the same transaction as the comment, donation
    or sign-in request that asks for it means a mail outage can delay an email but never lose
    one. The row holds no text: a template name and the ids it needs, rendered when it is
    sent, so the outbox keeps no live link and nothing that erasure would have to hunt for.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"
        EXPIRED = "expired", "Expired unsent"
        SKIPPED = "skipped", "Nothing to send"

    to = models.EmailField(max_length=254, blank=True, help_text="Cleared 30 days after sending.")
    template = models.CharField(max_length=100, help_text="Which email: emails/<template>.txt and .html.")
    params = models.JSONField(default=dict, blank=True, help_text="The ids the template needs.")
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Not worth sending after this (a sign-in link, say)."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker last took it.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # For mail to a person who has just been erased (the goodbye): the address goes with the
    # attempt that ends the email, however it ends, instead of 30 days later.
    forget_when_done = models.BooleanField(default=False)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="email_status_idx"),
            models.Index(fields=["to", "template", "created_at"], name="email_to_template_idx"),
        ]

    def __str__(self):
        return f"{self.template} → {self.to or '(address cleared)'}"

    @property
    def expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()
