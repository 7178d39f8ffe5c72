from django.conf import settings
from django.db import models
from django.utils import timezone

from .lists import Newsletter


class SubscriberImport(models.Model):
    """A file of subscribers uploaded by the audience team, imported by the worker, never in a request.

    The file is kept in the database in chunks (SubscriberImportChunk), not under MEDIA_ROOT: it
    holds people's addresses, the media folder is served to anyone who guesses a name, and every
    worker host reads the database. The chunks are read one at a time, so memory stays flat.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        REFUSED = "refused", "The file could not be read"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    dry_run = models.BooleanField(
        "Dry run", default=True, help_text="Check every row and report; change nothing."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, editable=False)
    bytes_read = models.PositiveBigIntegerField(default=0, editable=False)
    lines_read = models.PositiveIntegerField(default=0, editable=False)
    counts = models.JSONField(default=dict, editable=False)
    report = models.TextField(blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "subscriber import"

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d %B %Y %H:%M})"

    def percent_read(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.bytes_read / self.size)) if self.size else 0


class SubscriberImportChunk(models.Model):
    """One piece of an uploaded file, in order; deleted once the file is imported for real."""

    upload = models.ForeignKey(SubscriberImport, on_delete=models.CASCADE, related_name="chunks")
    position = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "position"], name="one_chunk_per_position")]

    def __str__(self):
        return f"{self.upload_id}#{self.position}"
