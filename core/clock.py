"""One clock for every job done at a time: periodic upkeep, daily digests, dated reminders.

The task backend has no periodic tasks (a task that enqueues its own next run multiplies on
every restart), so time lives here, in one table (core.models.Occurrence):

    @every("mailroom.sweep", seconds=60)            # one occurrence per minute-slot
    def sweep_outbox(due_at): ...

    @daily("newsletters.digest", at=time(7, 0), tz="Europe/London")   # 07:00 London, DST or not
    def digest(due_at): ...

    @job("supporters.renewal_reminder")             # dated one-off work, scheduled by the app:
    def remind(due_at, plan, period_end): ...
    schedule("supporters.renewal_reminder", at, key=f"{plan.pk}:{period_end}", params={...})

A job is called with its occurrence's due time and params. `tick()` (run by every worker,
or by `manage.py clock --once` from cron) creates the current slot of each periodic job,
then claims due occurrences one at a time with a conditional UPDATE and runs each in a
transaction that also marks it done. (job, key) is unique, so a slot is one row however many
workers see it; a claim succeeds for one worker only; a worker that dies leaves a lease that
another takes over when it expires; a failure is retried with a doubling back-off.
"""

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from .models import Occurrence

logger = logging.getLogger("canary.clock")

FIRST_RETRY_SECONDS = 30
# How many missed slots a catching-up job may add at once (a worker down for a week is not
# an excuse to run 10,000 sweeps).
CATCH_UP_LIMIT = 100
# How long an occurrence of a job no code registers stays due before it is failed.
UNKNOWN_GRACE = timedelta(days=1)


class LeaseLost(Exception):
    """Another worker took this occurrence over while it ran: its work is rolled back."""


class UnknownJob(LookupError):
    """Nothing registers a job by this name."""


@dataclass(frozen=True)
class Every:
    seconds: int

    def current(self, now):
        epoch = int(now.timestamp())
        return datetime.fromtimestamp(epoch - epoch % self.seconds, UTC)

    def previous(self, due):
        return due - timedelta(seconds=self.seconds)

    def next(self, now):
        return self.current(now) + timedelta(seconds=self.seconds)

    def key(self, due):
        return due.astimezone(UTC).isoformat()

    def __str__(self):
        return f"every {self.seconds} s"


@dataclass(frozen=True)
class Daily:
    at: object  # a datetime.time, local to tz
    tz: str

    def _on(self, day):
        # A wall time that does not exist (spring forward) or exists twice (fall back) is
        # resolved by zoneinfo's fold=0: one due time per local day either way.
        return datetime.combine(day, self.at, tzinfo=ZoneInfo(self.tz))

    def current(self, now):
        # Compared in UTC: aware datetimes sharing a tzinfo compare by wall time, wrong across a change.
        today = now.astimezone(ZoneInfo(self.tz)).date()
        due = self._on(today)
        return due if due.astimezone(UTC) <= now.astimezone(UTC) else self._on(today - timedelta(days=1))

    def previous(self, due):
        return self._on(due.astimezone(ZoneInfo(self.tz)).date() - timedelta(days=1))

    def next(self, now):
        return self._on(self.current(now).astimezone(ZoneInfo(self.tz)).date() + timedelta(days=1))

    def key(self, due):
        return due.astimezone(ZoneInfo(self.tz)).date().isoformat()

    def __str__(self):
        return f"daily at {self.at:%H:%M} {self.tz}"


@dataclass
class Job:
    name: str
    run: object
    cadence: object = None  # None: dated, scheduled by the app with schedule()
    catch_up: bool = False
    lease: timedelta = field(default_factory=lambda: timedelta(seconds=settings.CLOCK_LEASE_SECONDS))
    attempts: int | None = None  # None: CLOCK_RETRY_LIMIT

    @property
    def attempt_limit(self):
        return self.attempts or settings.CLOCK_RETRY_LIMIT

    @property
    def cadence_text(self):
        return str(self.cadence) if self.cadence else "when scheduled"


JOBS = {}


def _register(name, cadence=None, **options):
    def decorate(function):
        if name in JOBS and JOBS[name].run is not function:
            raise ValueError(f"Two jobs are named {name!r}")
        JOBS[name] = Job(name, function, cadence, **options)
        return function

    return decorate


def every(name, *, seconds, catch_up=False, lease=None):
    """A periodic job, one occurrence per slot of `seconds` (slots aligned on the epoch).

    Slots missed while no worker ran are not made up: a restart runs the job once, for the
    current slot, unless catch_up=True asks for every missed slot (up to CATCH_UP_LIMIT).
    """
    return _register(name, Every(seconds), catch_up=catch_up, **_lease(lease))


def daily(name, *, at, tz=None, catch_up=False, lease=None):
    """A job once a day at a wall-clock time in a time zone (TIME_ZONE unless given), DST and all."""
    return _register(name, Daily(at, tz or settings.TIME_ZONE), catch_up=catch_up, **_lease(lease))


def job(name, *, lease=None, attempts=None):
    """A job run only when the app schedules it (schedule()), once per key.

    attempts: how many tries before it is given up, for work that must outlast a provider's
    long outage (CLOCK_RETRY_LIMIT unless given; the back-off still doubles to its cap).
    """
    return _register(name, attempts=attempts, **_lease(lease))


def _lease(lease):
    return {"lease": timedelta(seconds=lease)} if lease else {}


def schedule(name, at, *, key, params=None):
    """Due `name` at `at`, once per key: scheduling the same key again changes nothing.

    Written in the caller's transaction, like a task row: the occurrence commits with the
    write that asked for it, or not at all.
    """
    if name not in JOBS:
        raise UnknownJob(name)
    Occurrence.objects.bulk_create(
        [Occurrence(job=name, key=str(key), due_at=at, run_after=at, params=params or {})],
        ignore_conflicts=True,
    )
    return Occurrence.objects.get(job=name, key=str(key))


def plan(now=None):
    """Create the current slot of every periodic job (and the missed ones a job catches up)."""
    now = now or timezone.now()
    rows = []
    for entry in JOBS.values():
        if entry.cadence is None:
            continue
        due = entry.cadence.current(now)
        slots = [due]
        if entry.catch_up:
            latest = Occurrence.objects.filter(job=entry.name).aggregate(latest=Max("due_at"))["latest"]
            while latest is not None and len(slots) < CATCH_UP_LIMIT:
                due = entry.cadence.previous(due)
                if due <= latest:
                    break
                slots.append(due)
        rows += [Occurrence(job=entry.name, key=entry.cadence.key(d), due_at=d, run_after=d) for d in slots]
    Occurrence.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _ready(now):
    """Due and not yet run, or run by a worker whose lease ran out (it died, or hangs)."""
    return Q(state=Occurrence.State.DUE, run_after__lte=now) | Q(
        state=Occurrence.State.RUNNING, lease_until__lt=now
    )


def claim(now=None, worker=None):
    """Take one ready occurrence for this worker, or None. Only one worker wins each claim.

    The UPDATE matches the state, attempts and lease it read: a second worker reading the same
    row updates nothing (on PostgreSQL it waits for the first one's UPDATE and then finds the
    row changed), and tries the next candidate.
    """
    now = now or timezone.now()
    worker = worker or worker_name()
    candidates = Occurrence.objects.filter(_ready(now), job__in=list(JOBS)).order_by("run_after")
    for seen in candidates.only("pk", "job", "state", "attempts", "lease_until")[:20]:
        taken = Occurrence.objects.filter(
            pk=seen.pk, state=seen.state, attempts=seen.attempts, lease_until=seen.lease_until
        ).update(
            state=Occurrence.State.RUNNING,
            attempts=seen.attempts + 1,
            claimed_by=worker,
            claimed_at=now,
            lease_until=max(now, timezone.now()) + JOBS[seen.job].lease,
        )
        if taken:
            return Occurrence.objects.get(pk=seen.pk)
    return None


def backoff(attempts):
    """Seconds before trying a failed occurrence again: doubling, capped like the tasks'."""
    return min(settings.TASK_RETRY_MAX_DELAY, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def run(occurrence, now=None):
    """Run a claimed occurrence; its work and its "done" commit together, or neither does."""
    now = now or timezone.now()
    mine = Occurrence.objects.filter(
        pk=occurrence.pk,
        state=Occurrence.State.RUNNING,
        claimed_by=occurrence.claimed_by,
        attempts=occurrence.attempts,
    )
    try:
        with transaction.atomic():
            JOBS[occurrence.job].run(occurrence.due_at, **occurrence.params)
            if not mine.update(state=Occurrence.State.DONE, finished_at=timezone.now(), last_error=""):
                raise LeaseLost(f"{occurrence} was taken over by another worker")
    except LeaseLost:
        logger.warning("%s ran past its lease; another worker has it", occurrence)
        return "lost"
    except Exception as error:  # noqa: BLE001 - whatever a job raises, record it and retry later
        logger.exception("Clock job %s failed (attempt %s)", occurrence, occurrence.attempts)
        failed = occurrence.attempts >= JOBS[occurrence.job].attempt_limit
        mine.update(
            state=Occurrence.State.FAILED if failed else Occurrence.State.DUE,
            run_after=now + timedelta(seconds=backoff(occurrence.attempts)),
            finished_at=timezone.now() if failed else None,
            lease_until=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return "gave up" if failed else "will retry"
    return "done"


def give_up_on_lost(now=None):
    """Occurrences whose workers died CLOCK_RETRY_LIMIT times are failed, not retaken forever."""
    now = now or timezone.now()
    return Occurrence.objects.filter(
        state=Occurrence.State.RUNNING, lease_until__lt=now, attempts__gte=settings.CLOCK_RETRY_LIMIT
    ).update(state=Occurrence.State.FAILED, finished_at=now, last_error="The worker running it was lost.")


def give_up_on_unknown(now=None):
    """Occurrences of a job no code registers (removed or renamed since they were planned) are
    failed with a reason once a day overdue, not left due and unseen for good. A day, not at
    once: during a rolling upgrade a worker of the old version may meet a new version's job."""
    now = now or timezone.now()
    return (
        Occurrence.objects.filter(state=Occurrence.State.DUE, run_after__lt=now - UNKNOWN_GRACE)
        .exclude(job__in=list(JOBS))
        .update(
            state=Occurrence.State.FAILED,
            finished_at=now,
            last_error="No job of this name is registered in this version of Canary (removed or renamed?).",
        )
    )


def tick(now=None, worker=None, limit=100):
    """One beat of the clock: plan the periodic jobs, then run what is due (at most `limit`)."""
    now = now or timezone.now()
    worker = worker or worker_name()
    try:
        plan(now)
    except IntegrityError:  # pragma: no cover - bulk_create ignores conflicts; belt and braces
        logger.warning("Clock planning raced another worker")
    give_up_on_lost(now)
    give_up_on_unknown(now)
    results = {}
    for _ in range(limit):
        occurrence = claim(now, worker)
        if occurrence is None:
            break
        outcome = run(occurrence, now)
        results[outcome] = results.get(outcome, 0) + 1
    return results


def summary(now=None):
    """Per registered job: its cadence, when it is next due, and how its last run ended."""
    now = now or timezone.now()
    due = dict(
        Occurrence.objects.filter(state__in=[Occurrence.State.DUE, Occurrence.State.RUNNING])
        .values_list("job")
        .annotate(next_due=Min("run_after"))
    )
    rows = []
    for name, entry in sorted(JOBS.items()):
        last = (
            Occurrence.objects.filter(job=name, finished_at__isnull=False)
            .only("state", "finished_at", "last_error")
            .order_by("-finished_at")
            .first()
        )
        upcoming = due.get(name) or (entry.cadence.next(now) if entry.cadence else None)
        rows.append({"job": entry, "next_due": upcoming, "last": last})
    return rows


@every("core.prune_clock", seconds=3600)
def prune(due_at):
    """Finished occurrences are kept CLOCK_KEEP_DAYS for the admin's history, then deleted."""
    cutoff = due_at - timedelta(days=settings.CLOCK_KEEP_DAYS)
    return Occurrence.objects.filter(
        state__in=[Occurrence.State.DONE, Occurrence.State.FAILED], finished_at__lt=cutoff
    ).delete()[0]
