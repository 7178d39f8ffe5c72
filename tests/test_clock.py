"""The clock: every periodic or dated job is an occurrence, run once however many workers tick."""

import contextlib
import io
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.utils import timezone

from core import clock
from core.models import Occurrence
from tests.security_helpers import staff_user

pytestmark = pytest.mark.django_db(transaction=True)

NOON = datetime(2026, 6, 1, 12, 0, 30, tzinfo=UTC)


@pytest.fixture
def jobs(monkeypatch, settings):
    """A registry of the test's own jobs, and what each run saw."""
    monkeypatch.setattr(clock, "JOBS", {})
    settings.CLOCK_RETRY_LIMIT = 3
    runs = []
    lock = threading.Lock()

    def record(name):
        def run(due_at, **params):
            with lock:
                runs.append((name, due_at, params))

        return run

    return runs, record


def test_scheduling_a_dated_job_twice_is_one_occurrence_and_the_table_refuses_a_second(jobs):
    runs, record = jobs
    clock.job("test.remind")(record("remind"))
    with transaction.atomic():
        clock.schedule("test.remind", NOON, key="plan-1", params={"plan": 1})
        clock.schedule("test.remind", NOON + timedelta(days=1), key="plan-1", params={"plan": 2})
    assert Occurrence.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Occurrence.objects.create(job="test.remind", key="plan-1", due_at=NOON, run_after=NOON)
    assert clock.tick(NOON - timedelta(seconds=1)) == {}  # not due yet
    assert clock.tick(NOON) == {"done": 1}
    assert runs == [("remind", NOON, {"plan": 1})]
    assert clock.tick(NOON + timedelta(days=2)) == {}


def test_a_job_nobody_registers_cannot_be_scheduled_is_never_run_and_is_failed_a_day_later(jobs):
    with pytest.raises(clock.UnknownJob):
        clock.schedule("test.nobody", NOON, key="x")
    Occurrence.objects.create(job="test.gone", key="x", due_at=NOON, run_after=NOON)
    assert clock.tick(NOON) == {}
    assert Occurrence.objects.get().state == Occurrence.State.DUE
    # A day overdue, it is failed with a reason the admin shows, not left due and unseen.
    assert clock.tick(NOON + timedelta(hours=23)) == {}
    assert Occurrence.objects.get().state == Occurrence.State.DUE
    clock.tick(NOON + timedelta(days=1, minutes=1))
    gone = Occurrence.objects.get()
    assert gone.state == Occurrence.State.FAILED and "No job of this name is registered" in gone.last_error


def test_a_periodic_slot_is_one_occurrence_however_often_workers_tick(jobs):
    runs, record = jobs
    clock.every("test.sweep", seconds=60)(record("sweep"))
    for worker in ("a", "b", "c"):
        clock.tick(NOON, worker=worker)
        clock.tick(NOON + timedelta(seconds=20), worker=worker)
    assert [due for _, due, _ in runs] == [datetime(2026, 6, 1, 12, 0, tzinfo=UTC)]
    clock.tick(NOON + timedelta(seconds=40))
    assert len(runs) == 2  # 12:01:10 is in the next slot


def test_slots_missed_while_no_worker_ran_run_once_on_restart_unless_the_job_catches_up(jobs):
    runs, record = jobs
    clock.every("test.sweep", seconds=60)(record("sweep"))
    clock.every("test.fold", seconds=60, catch_up=True)(record("fold"))
    clock.tick(NOON)
    # Every worker is down for ten minutes.
    clock.tick(NOON + timedelta(minutes=10))
    assert [due.minute for name, due, _ in runs if name == "sweep"] == [0, 10]
    assert sorted(due.minute for name, due, _ in runs if name == "fold") == list(range(11))
    clock.tick(NOON + timedelta(minutes=10, seconds=5))
    assert len(runs) == 13


def test_an_occurrence_runs_once_with_two_workers_at_once(jobs):
    runs, record = jobs
    slow = record("dated")

    def dated(due_at, **params):
        time.sleep(0.02)  # long enough for the other worker to see the same rows
        slow(due_at, **params)

    clock.job("test.dated")(dated)
    clock.every("test.sweep", seconds=60)(record("sweep"))
    for n in range(12):
        clock.schedule("test.dated", NOON, key=f"gift-{n}", params={"n": n})
    start = threading.Barrier(2)
    errors = []
    # An in-memory SQLite refuses a second writer outright (a file waits its turn): there the
    # two workers take turns, as SQLite serialises them anyway; PostgreSQL runs them at once.
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def worker(name):
        try:
            start.wait(5)
            with turns:
                clock.tick(NOON, worker=name)
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(params.get("n", -1) for _, _, params in runs) == [-1, *range(12)]
    assert set(Occurrence.objects.values_list("state", flat=True)) == {Occurrence.State.DONE}
    assert set(Occurrence.objects.values_list("attempts", flat=True)) == {1}


def test_a_dead_workers_lease_is_taken_over_and_its_late_finish_is_refused(jobs, settings):
    runs, record = jobs
    clock.job("test.dated")(record("dated"))
    clock.schedule("test.dated", NOON, key="one")
    lost = clock.claim(NOON, worker="dies")  # claimed, then the worker is killed
    assert lost.lease_until >= NOON + timedelta(seconds=settings.CLOCK_LEASE_SECONDS)
    assert clock.tick(NOON + timedelta(seconds=60), worker="other") == {}
    later = lost.lease_until + timedelta(seconds=1)
    assert clock.tick(later, worker="other") == {"done": 1}
    taken = Occurrence.objects.get()
    assert (taken.state, taken.claimed_by, taken.attempts) == (Occurrence.State.DONE, "other", 2)
    # The first worker was only slow, not dead: its finish no longer counts.
    assert clock.run(lost, later) == "lost"
    assert len(runs) == 2 and Occurrence.objects.get().claimed_by == "other"


def test_a_worker_lost_again_and_again_gives_up_with_a_reason(jobs):
    _, record = jobs
    clock.job("test.dated")(record("dated"))
    clock.schedule("test.dated", NOON, key="one")
    now = NOON
    for _ in range(3):
        assert clock.claim(now, worker="dies") is not None
        now = Occurrence.objects.get().lease_until + timedelta(seconds=1)
    assert clock.tick(now) == {}
    failed = Occurrence.objects.get()
    assert (failed.state, failed.last_error) == (Occurrence.State.FAILED, "The worker running it was lost.")


def test_a_failing_job_is_retried_with_back_off_then_shows_its_error_in_the_admin(jobs, settings):
    runs, record = jobs

    @clock.job("test.flaky")
    def flaky(due_at):
        Occurrence.objects.create(job="test.side", key=str(len(runs)), due_at=due_at, run_after=due_at)
        record("flaky")(due_at)
        raise ConnectionError("relay refused <script>")

    clock.schedule("test.flaky", NOON, key="one")
    assert clock.tick(NOON) == {"will retry": 1}
    row = Occurrence.objects.get(job="test.flaky")
    assert (row.state, row.attempts, row.run_after) == (Occurrence.State.DUE, 1, NOON + timedelta(seconds=30))
    assert not Occurrence.objects.filter(job="test.side").exists()  # its writes were rolled back
    assert clock.tick(NOON + timedelta(seconds=29)) == {}
    assert clock.tick(NOON + timedelta(seconds=30)) == {"will retry": 1}
    assert Occurrence.objects.get(job="test.flaky").run_after == NOON + timedelta(seconds=90)
    assert clock.tick(NOON + timedelta(seconds=90)) == {"gave up": 1}
    assert clock.tick(NOON + timedelta(days=1)) == {}
    failed = Occurrence.objects.get(job="test.flaky")
    assert (failed.state, failed.attempts) == (Occurrence.State.FAILED, 3)

    settings.STAFF_TWO_FACTOR_REQUIRED = False
    chief = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    browser = Client()
    browser.force_login(chief)
    page = browser.get("/admin/core/occurrence/").content.decode()
    assert "ConnectionError: relay refused &lt;script&gt;" in page
    assert "<script>" not in page.split("relay refused")[1][:20]
    assert "test.flaky" in page and "when scheduled" in page


def test_a_job_that_must_outlast_a_long_outage_keeps_trying_past_the_usual_limit(jobs, settings):
    settings.TASK_RETRY_MAX_DELAY = 3600
    outage_ends = NOON + timedelta(hours=10)

    @clock.job("test.patient", attempts=20)
    def patient(due_at, at):
        if datetime.fromisoformat(at) < outage_ends:
            raise ConnectionError("the provider is down")

    clock.schedule("test.patient", NOON, key="one", params={"at": NOON.isoformat()})
    now, outcomes = NOON, []
    while not outcomes or outcomes[-1] == "will retry":
        row = Occurrence.objects.get(job="test.patient")
        now = row.run_after
        # The job is told the time it runs at: it fails until the outage ends.
        Occurrence.objects.filter(pk=row.pk).update(params={"at": now.isoformat()})
        outcomes.append(next(iter(clock.tick(now))))
    assert outcomes[-1] == "done" and len(outcomes) > settings.CLOCK_RETRY_LIMIT
    assert now >= outage_ends and now - outage_ends <= timedelta(hours=1)  # the cap holds the wait


def test_daily_jobs_keep_london_wall_time_across_the_clock_changes(jobs):
    runs, record = jobs
    clock.daily("test.digest", at=wall_time(7, 0), tz="Europe/London")(record("digest"))
    days = [
        datetime(2026, 1, 15, 12, tzinfo=UTC),  # GMT: 07:00 London is 07:00 UTC
        datetime(2026, 3, 29, 12, tzinfo=UTC),  # the clocks went forward at 01:00 that night
        datetime(2026, 3, 30, 12, tzinfo=UTC),
        datetime(2026, 10, 25, 12, tzinfo=UTC),  # back at 02:00 BST
        datetime(2026, 10, 26, 12, tzinfo=UTC),
    ]
    for day in days:
        clock.tick(day)
        clock.tick(day + timedelta(hours=5))
    assert [due.astimezone(UTC).hour for _, due, _ in runs] == [7, 6, 6, 7, 7]
    # Before 07:00 London it is still yesterday's occurrence that is due.
    assert clock.Daily(wall_time(7), "Europe/London").current(datetime(2026, 7, 1, 5, 59, tzinfo=UTC)) == (
        datetime(2026, 6, 30, 6, tzinfo=UTC)
    )


def test_a_daily_time_that_does_not_exist_or_exists_twice_is_one_occurrence_that_day(jobs):
    runs, record = jobs
    clock.daily("test.night", at=wall_time(1, 30), tz="Europe/London")(record("night"))
    for day in (datetime(2026, 3, 29, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC)):
        for hour in range(24):
            clock.tick(day + timedelta(hours=hour))
    keys = sorted(Occurrence.objects.filter(job="test.night").values_list("key", flat=True))
    # The day before each is still due at each first tick (00:00 UTC is before 01:30 London).
    assert keys == ["2026-03-28", "2026-03-29", "2026-10-24", "2026-10-25"]
    assert len(runs) == 4


def test_the_clock_admin_is_for_superusers_editors_and_finance_never_contributors(jobs, settings):
    _, record = jobs
    clock.every("test.sweep", seconds=60)(record("sweep"))
    clock.tick()
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    for role, allowed in (("Contributor", False), ("Moderator", False), ("Editor", True), ("Finance", True)):
        browser = Client()
        browser.force_login(staff_user(role))
        response = browser.get("/admin/core/occurrence/")
        assert response.status_code == (200 if allowed else 403), role
        if allowed:
            page = response.content.decode()
            assert "Jobs on the clock" in page and "every 60 s" in page
            assert "Add occurrence" not in page and "Delete selected" not in page
    row = Occurrence.objects.get()
    browser = Client()
    browser.force_login(staff_user("Editor", "editor2"))
    assert browser.post(f"/admin/core/occurrence/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert browser.post(f"/admin/core/occurrence/{row.pk}/change/", {"state": "due"}).status_code == 403
    assert Occurrence.objects.get().state == Occurrence.State.DONE


def test_old_finished_occurrences_are_pruned_by_the_clock_itself(settings):
    settings.CLOCK_KEEP_DAYS = 30
    now = timezone.now()
    for days, state in ((31, "done"), (31, "failed"), (29, "done"), (31, "due")):
        Occurrence.objects.create(
            job="x",
            key=f"{days}{state}",
            due_at=now,
            run_after=now + timedelta(days=1),
            state=state,
            finished_at=now - timedelta(days=days),
        )
    clock.tick(now)
    assert sorted(Occurrence.objects.filter(job="x").values_list("key", flat=True)) == ["29done", "31due"]
    assert Occurrence.objects.get(job="core.prune_clock").state == Occurrence.State.DONE


def test_the_project_s_jobs_are_registered_with_their_cadence():
    out = io.StringIO()
    call_command("clock", "--list", stdout=out)
    listed = out.getvalue()
    assert "mailroom.sweep: every 60 s" in listed
    assert "core.prune_clock: every 3600 s" in listed
    assert "supporters.renewal_reminder: when scheduled" in listed
    assert "readership.fold: every 60 s" in listed


def test_clock_once_ticks_for_cron(jobs):
    runs, record = jobs
    clock.every("test.sweep", seconds=60)(record("sweep"))
    out = io.StringIO()
    call_command("clock", "--once", stdout=out)
    assert out.getvalue() == "Clock: 1 done.\n" and len(runs) == 1
    out = io.StringIO()
    call_command("clock", "--once", stdout=out)
    assert "nothing due" in out.getvalue() or len(runs) == 2  # a new minute may just have begun
