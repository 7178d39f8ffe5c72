"""The clock's one table: every run of a periodic or dated job is a row, unique per occurrence."""

from django.db import models


class Occurrence(models.Model):
    """One run of one job, due at a time; a worker claims it under a lease (core/clock.py).

    (job, key) is unique, so a slot of a periodic job, or a dated job scheduled twice, is one
    row however many workers see it; a claim is a conditional UPDATE, so one worker runs it.
    """

    class State(models.TextChoices):
        DUE = "due", "Due"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DUE)
    # Not before this: the due time at first, then later after each failure (back-off).
    run_after = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "clock occurrence"
        ordering = ["-due_at"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="one_occurrence_per_slot")]
        indexes = [
            models.Index(fields=["state", "run_after"], name="occurrence_ready"),
            models.Index(fields=["job", "-due_at"], name="occurrence_job_latest"),
        ]

    def __str__(self):
        return f"{self.job} due {self.due_at:%Y-%m-%d %H:%M:%S}"


class PendingPurge(models.Model):
    """A cache tag the CDN must forget, written in the transaction of the change that needs it.

    Rows are kept until the CDN accepts their purge (canary/cdn_purge.py), so a crash between
    the change and the purge loses nothing; the worker sends every due tag in one request.
    """

    tag = models.CharField(max_length=100)
    due_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    # A withdrawal: if its purge keeps failing, the whole CDN cache is purged instead.
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.tag
