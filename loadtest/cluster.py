"""`make cluster`: two app servers and two workers behind nginx, one of each killed under load.

All on 127.0.0.1, on free ports, with names of the run's own (two runs can go side by side):

* a scratch PostgreSQL database, ``canary_cluster_<time>_<random>``, on the shared server
  (dropped after), migrated and seeded with the demo content and a newsletter's list;
* a throwaway redis-server, SeaweedFS as the media bucket (tests/object_storage.py), and an SMTP
  sink (aiosmtpd) that counts what each address received;
* two gunicorn app servers and two `manage.py worker` processes with production settings, and
  deploy/nginx.conf in front of both app servers, run by an unprivileged user.

Readers, commenters and donors (through the development checkout) load the site through nginx,
and an issue of the newsletter is sent, throttled so that it is still going when a worker dies.
Meanwhile one app server (the gunicorn master with its workers) and one worker are SIGKILLed and
started again. When the outbox has drained, every acknowledged comment and gift must be in the
database once and every email they owe, and every newsletter recipient, must have reached the
sink. Any loss exits 1.

Run with the project's venv: ``make cluster`` or ``.venv/bin/python loadtest/cluster.py --duration 60``.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
# Run as a script: its siblings beside it, and the project (bench, tests) above.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(BASE_DIR)]

from cluster_findings import failures, mail_check, reader_errors, report  # noqa: E402
from cluster_parts import AppServer, Nginx, Worker, have_tools, start_mail_sink, weed_leftovers  # noqa: E402
from database import (  # noqa: E402
    SEED_QUERY,
    create_database,
    database_connection,
    drop_database,
    manage,
    scratch_name,
    shell,
    verify,
)
from services import Redis, free_port, wait_for_port  # noqa: E402
from traffic import Load, Site, Tally  # noqa: E402

from tests import object_storage  # noqa: E402

DATABASE = scratch_name("cluster")
NEWSLETTER_DOMAIN = "newsletter.cluster.invalid"
# Messages a second for the newsletter, to as many readers as make it last 80% of the load: the
# send is under way when the worker is killed (at 55%).
NEWSLETTER_RATE = 30

# The demo content, the appeals and a newsletter's list with a draft issue, in one process.
SEED = """
from django.core.management import call_command
call_command("seed_demo")
call_command("seed_appeals")
{query}
from articles.models import Article
from newsletters.factories import make_issue, make_newsletter
from newsletters.models import Newsletter, Subscriber, Subscription
letter = make_newsletter("The Cluster Canary", "cluster", schedule=Newsletter.Schedule.MANUAL)
made = Subscriber.objects.bulk_create(
    [Subscriber(email=f"reader{{n:05d}}@{domain}") for n in range({size})])
Subscription.objects.bulk_create(
    [Subscription(subscriber=s, newsletter=letter, status="subscribed", source="cluster") for s in made])
stories = list(Article.objects.published().order_by("-published_at")[:4])
print(json.dumps({{"issue": make_issue(letter, "The cluster rehearsal", stories).pk, "size": {size}}}))
"""
# What an editor's Send does in the admin.
START_SEND = "from newsletters import sending; from newsletters.models import Issue; print(sending.start(Issue.objects.get(pk={issue})))"
# The outbox's sweep hands an email a new task when its worker has held it
# MAIL_STRANDED_SECONDS (5 minutes): the rehearsal runs it as the clock would then.
LATER_SWEEP = """
from datetime import timedelta
from django.utils import timezone
from mailroom.services import stranded_after, sweep
print(sweep(timezone.now() + stranded_after() + timedelta(seconds=1))["requeued"])
"""


def environment(options, folder, port, redis, weed, sink_port):
    server = urlsplit(options.database_url)
    credentials = server.username or "postgres"
    if server.password:
        credentials += f":{server.password}"
    drop = ("DATABASE_URL", "REDIS_URL", "VAR_DIR", "MEDIA_ROOT", "STATIC_ROOT", "DJANGO_SETTINGS_MODULE")
    drop += tuple(name for name in os.environ if name.startswith(("AWS_", "EMAIL_", "NEWSLETTER_")))
    return {
        **{name: value for name, value in os.environ.items() if name not in drop},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key for every process, as in production
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "TRUSTED_PROXY_COUNT": "1",
        "PAYMENT_PROVIDER": "dev",  # on purpose: the local checkout, in production mode
        "DATABASE_URL": f"postgres://{credentials}@{server.hostname or '127.0.0.1'}:{server.port or 5432}/{DATABASE}",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "VAR_DIR": str(folder),
        **weed.environment("cluster"),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink_port}",
        "COMMENT_MIN_SECONDS": "0",
        "COMMENT_RATE_LIMIT": "1000000",
        "DONATION_RATE_LIMIT": "1000000",
        "WEB_CONCURRENCY": str(options.web_concurrency),
        "LOG_LEVEL": "WARNING",
        # Leases and ticks in seconds rather than minutes, so a dead worker's work is taken
        # back within the run: the same code paths as production, on a shorter clock.
        "CLOCK_TICK_SECONDS": "1",
        "CLOCK_LEASE_SECONDS": "10",
        "NEWSLETTER_MAX_RATE": str(NEWSLETTER_RATE),
        "NEWSLETTER_BATCH_SIZE": "40",
        "NEWSLETTER_RECORD_EVERY": "10",
        "NEWSLETTER_LEASE_SECONDS": "6",
        "NEWSLETTER_RECLAIM_SECONDS": "2",
    }


def wait_healthy(site, what, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if site.request("GET", "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become healthy in {timeout} s")
        time.sleep(0.2)


def pending(admin_url):
    """Outbox emails still queued, and newsletter batches not done."""
    with database_connection(admin_url, DATABASE) as db:
        emails = db.execute("SELECT COUNT(*) FROM mailroom_email WHERE status = 'queued'").fetchone()[0]
        batches = db.execute("SELECT COUNT(*) FROM newsletters_batch WHERE state <> 'done'").fetchone()[0]
    return emails + batches


def drain(admin_url, env, patience):
    """Wait for the workers to finish what they owe; if they stall, sweep as the clock would later."""
    started = last_change = time.monotonic()
    left, swept = pending(admin_url), None
    while left and time.monotonic() - started < patience:
        time.sleep(0.5)
        now_left = pending(admin_url)
        if now_left != left:
            left, last_change = now_left, time.monotonic()
        elif swept is None and time.monotonic() - last_change > 5:
            swept = int(shell(env, LATER_SWEEP))
    took = f"in {time.monotonic() - started:.1f} s" if not left else f"not in {patience} s: {left} left"
    return took + (f"; the later sweep re-queued {swept} stranded" if swept is not None else "")


def owed_emails(admin_url, load, issue):
    with database_connection(admin_url, DATABASE) as db:
        commenters = [
            email
            for (email,) in db.execute(
                "SELECT email FROM articles_comment WHERE body = ANY(%s)", [load.acknowledged_comments]
            )
        ]
        readers = [
            email
            for (email,) in db.execute(
                "SELECT s.email FROM newsletters_delivery d "
                "JOIN newsletters_subscriber s ON s.id = d.subscriber_id WHERE d.issue_id = %s",
                [issue],
            )
        ]
    return {
        "comment confirmation": [email.lower() for email in commenters],
        # A first gift owes its giver a welcome and a receipt (supporters/services/notices.py).
        "gift welcome and receipt": [email.lower() for email in load.acknowledged_donations] * 2,
        "newsletter": [email.lower() for email in readers],
    }


def at(tally, moment):
    while tally.now() < moment:
        time.sleep(0.05)


def restart(server, down, tally, kill):
    """Start a killed app server again after `down` seconds; note when it answers /healthz."""
    time.sleep(down)
    server.start()
    wait_healthy(Site(server.port), server.name)
    kill["back"] = tally.now() - kill["at"]


def rehearse(options, servers, workers, site, inbox):
    tally, stop, samples = Tally(), threading.Event(), []
    load = Load(site, options.urls, tally, stop)
    threads = [threading.Thread(target=load.health, args=(samples,), daemon=True)]
    for target, count in ((load.reader, options.readers), (load.commenter, options.commenters)):
        threads += [threading.Thread(target=target, daemon=True) for _ in range(count)]
    threads += [threading.Thread(target=load.donor, daemon=True) for _ in range(options.donors)]
    duration = options.duration
    print(
        f"Load for {duration:.0f} s through nginx on :{site.port}: {options.readers} readers, "
        f"{options.commenters} commenters, {options.donors} donors; a newsletter issue sending"
    )
    for thread in threads:
        thread.start()

    kills = []
    at(tally, duration * 0.3)
    victim = servers[0]
    kills.append({"what": f"app server {victim.name}", "at": tally.now()})
    victim.kill()
    print(f"  {kills[-1]['at']:5.1f} s  app server {victim.name} (gunicorn master and workers) killed")
    restarted = threading.Thread(target=restart, args=(victim, options.down, tally, kills[-1]), daemon=True)
    restarted.start()

    at(tally, duration * 0.55)
    victim = workers[0]
    received = sum(inbox.delivered().values())
    kills.append({"what": f"worker {victim.name}", "at": tally.now(), "mail before": received})
    victim.kill()
    print(f"  {kills[-1]['at']:5.1f} s  worker {victim.name} killed")
    time.sleep(options.down)
    victim.start()
    kills[-1]["back"] = tally.now() - kills[-1]["at"]

    at(tally, duration)
    restarted.join(timeout=60)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return load, tally, kills


def run(options):
    missing = have_tools()
    if missing:
        sys.exit(f"make cluster needs {' and '.join(missing)} (apt-get install redis-server nginx-light).")
    admin_url = options.database_url
    folder = Path(tempfile.mkdtemp(prefix="canary-cluster-"))
    folder.chmod(0o755)  # nginx, as an unprivileged user, serves the static files from here
    redis = Redis(folder)
    weed = sink = nginx = None
    processes = []
    port, sink_port = free_port(), free_port()
    began = time.monotonic()
    try:
        print(f"Setting up in {folder}: PostgreSQL database {DATABASE}, Redis :{redis.port}")
        create_database(admin_url, DATABASE)
        redis.start()
        weed = object_storage.start()
        sink, inbox = start_mail_sink(sink_port)
        env = environment(options, folder, port, redis, weed, sink_port)
        # collectstatic needs no database: it runs while the database is migrated.
        statics = threading.Thread(target=manage, args=(env, "collectstatic", "--noinput", "-v0"))
        statics.start()
        manage(env, "migrate", "--noinput", "-v0")
        statics.join()
        size = int(NEWSLETTER_RATE * options.duration * 0.8)
        output = manage(
            env, "shell", "-c", SEED.format(query=SEED_QUERY, domain=NEWSLETTER_DOMAIN, size=size)
        )
        seeded, newsletter = (json.loads(line) for line in output.strip().splitlines()[-2:])
        options.urls = {
            "pages": seeded["articles"] * 2 + seeded["lists"],
            "commentable": seeded["commentable"],
        }
        issue = newsletter["issue"]

        servers = [AppServer(f"app-{n}", {**env, "PORT": str(free_port())}, folder) for n in (1, 2)]
        workers = [Worker(f"worker-{n}", env, folder) for n in (1, 2)]
        processes = servers + workers
        for process in processes:
            process.start()
        for server in servers:
            wait_for_port(server.port, timeout=60)
        nginx = Nginx(folder, port, [f"127.0.0.1:{server.port}" for server in servers], folder / "static")
        nginx.start()
        site = Site(port)
        wait_healthy(site, "nginx and the app servers")
        print(
            f"Up after {time.monotonic() - began:.0f} s: nginx :{port} -> app servers :{servers[0].port}, :{servers[1].port}; 2 workers; "
            f"SeaweedFS :{weed.ports['s3']}; SMTP sink :{sink_port}; {size} newsletter readers"
        )

        # Sent as the load starts, so that it is still going when the worker is killed.
        shell(env, START_SEND.format(issue=issue))
        load, tally, kills = rehearse(options, servers, workers, site, inbox)
        elapsed = tally.now()
        drained = drain(admin_url, env, options.drain)
        checks = verify(admin_url, DATABASE, load)
        mail = mail_check(owed_emails(admin_url, load, issue), inbox.delivered())
        errors = reader_errors(tally.timeline, [kill["at"] for kill in kills])
        served = {server.name: server.requests_served() for server in servers}
        failing = nginx.upstream_errors()
        errors += ({server.name: failing.get(f"127.0.0.1:{server.port}", 0) for server in servers},)
        report(elapsed, tally, served, kills, errors, checks, mail, drained)
        (BASE_DIR / "var").mkdir(exist_ok=True)
        (BASE_DIR / "var" / "cluster-latest.json").write_text(
            json.dumps(
                {
                    "duration": elapsed,
                    "outcomes": tally.outcomes,
                    "served": served,
                    "kills": kills,
                    "reader errors": {"near kills": errors[0], "elsewhere": errors[1]},
                    "nginx upstream errors": errors[2],
                    "checks": checks,
                    "mail": mail,
                    "drained": drained,
                },
                indent=2,
            )
        )
        reasons = failures(checks, mail, kills)
        print()
        print("FAILED: " + "; ".join(reasons) if reasons else "Nothing acknowledged was lost.")
        return 1 if reasons else 0
    finally:
        if nginx is not None:
            nginx.stop()
        for process in processes:
            process.stop()
        if sink is not None:
            sink.stop()
        redis.stop()
        if weed is not None:
            weed.stop()
            for leftover in weed_leftovers(weed.ports.values()):
                leftover.unlink(missing_ok=True)
        if not options.keep:
            drop_database(admin_url, DATABASE)
            shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=float(os.environ.get("DURATION") or 60))
    parser.add_argument("--web-concurrency", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--commenters", type=int, default=2)
    parser.add_argument("--donors", type=int, default=2)
    parser.add_argument("--down", type=float, default=1.0, help="seconds a killed process stays down")
    parser.add_argument(
        "--drain", type=float, default=60.0, help="seconds to wait for the outbox after the load"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to create the scratch database on (its maintenance database)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and folder afterwards")
    options = parser.parse_args()
    if options.duration < 15:
        parser.error("--duration (DURATION) must be at least 15 seconds, so the kills do not overlap")
    # SIGTERM (CI cancelling the job) cleans up as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
