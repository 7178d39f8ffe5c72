"""How far an issue's send has got: counted from its deliveries, with the time left guessed
from the rate so far (a pause counts as time spent, so the guess errs long)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .models import Delivery, Issue


@dataclass(frozen=True)
class Progress:
    recipients: int
    sent: int
    failed: int
    bounced: int
    skipped: int
    queued: int
    time_left: timedelta | None

    @property
    def done(self):
        return self.recipients - self.queued

    @property
    def time_left_words(self):
        """ "about 12 minutes" or so; empty when there is no guess."""
        if self.time_left is None:
            return ""
        minutes = round(self.time_left.total_seconds() / 60)
        if minutes < 1:
            return "less than a minute"
        hours, minutes = divmod(minutes, 60)
        parts = [
            f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((hours, "hour"), (minutes, "minute")) if n
        ]
        return " ".join(parts)

    @property
    def percent(self):
        return 100 if not self.recipients else int(100 * self.done / self.recipients)


def progress(issue, now=None):
    counts = Delivery.objects.filter(issue=issue).counts()
    recipients = sum(counts.values())
    queued = counts[Delivery.Status.QUEUED]
    return Progress(
        recipients=recipients,
        sent=counts[Delivery.Status.SENT],
        failed=counts[Delivery.Status.FAILED],
        bounced=counts[Delivery.Status.BOUNCED],
        skipped=counts[Delivery.Status.SKIPPED],
        queued=queued,
        time_left=time_left(issue, recipients - queued, queued, now),
    )


def time_left(issue, done, queued, now=None):
    """At the rate so far; None before the first message, or when nothing is going out."""
    if issue.status != Issue.Status.SENDING or not issue.started_at or not done or not queued:
        return None
    spent = ((now or timezone.now()) - issue.started_at).total_seconds()
    if spent <= 0:
        return None
    return timedelta(seconds=round(queued * spent / done))
