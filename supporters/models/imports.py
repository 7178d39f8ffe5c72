from django.conf import settings
from django.db import models
from django.utils import timezone


class SupporterImport(models.Model):
    """A file of existing supporters uploaded by Finance, imported by the worker, never in a request.

    The file is kept in the database, not under MEDIA_ROOT: it holds people's addresses and the
    media folder is served to anyone who guesses a name.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        REFUSED = "refused", "The file could not be read"

    file_name = models.CharField(max_length=200)
    content = models.BinaryField(editable=False, blank=True, default=b"")
    dry_run = models.BooleanField(
        "Dry run", default=True, help_text="Check every row and report; change nothing here or at Stripe."
    )
    from_stripe = models.BooleanField(
        "Link Stripe's active subscriptions",
        default=False,
        help_text="Also link every active subscription of the Stripe account (no file needed for this).",
    )
    welcome = models.BooleanField(
        "Email a welcome",
        default=False,
        help_text="After importing, email every imported supporter not yet welcomed: how their gift "
        "continues, or, for those whose gift cannot renew, an invitation to give again.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, editable=False)
    lines_read = models.PositiveIntegerField(default=0, editable=False)
    counts = models.JSONField(default=dict, editable=False)
    report = models.TextField(blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "supporter import"

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d %B %Y %H:%M})"
