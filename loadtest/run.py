"""`make loadtest`: a mixed load on loopback with faults, then a check that nothing acknowledged was lost.

It sets up, all of its own and all on 127.0.0.1:

* a scratch PostgreSQL database of this run's own, ``canary_loadtest_<time>_<random>`` (dropped
  after), migrated and seeded
  with the demo content; the app reaches it through a small TCP proxy run by this script, so that
  stopping the proxy is a database outage for the app while the shared server keeps running;
* a throwaway redis-server on a port of its own (never the shared 6379);
* gunicorn with production settings (DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
  PAYMENT_PROVIDER=dev on purpose, comment timing and rate limits opened up for the run).

Then readers, commenters (the token endpoint, then the post endpoint) and donors (support form,
then the dev checkout's Pay) run at once for DURATION seconds, every request carrying
``X-Forwarded-Proto: https`` as the TLS proxy would. Meanwhile it SIGKILLs a gunicorn worker,
restarts Redis and cuts the database off for a few seconds. At the end every acknowledged comment
(a redirect back to the article with the success message) and every acknowledged donation (the dev
checkout's redirect to the thank-you page) must be in the database exactly once.

Run with the project's venv: ``make loadtest`` or ``.venv/bin/python loadtest/run.py --duration 60``.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
# Run as a script (make loadtest), or by runpy in a test: its sibling modules sit beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from database import SEED_QUERY, create_database, drop_database, manage, scratch_name, verify  # noqa: E402
from findings import errors_between, first_after, healthy_after, report  # noqa: E402
from services import Proxy, Redis, free_port, serve_proxy, wait_for_port, worker_pids  # noqa: E402
from traffic import Load, Site, Tally  # noqa: E402

# A name of this run's own: two runs side by side, or a run and a developer's database, never share one.
DATABASE = scratch_name("loadtest")


def run(options):
    if shutil.which("redis-server") is None:
        sys.exit("make loadtest needs redis-server (apt-get install redis-server).")
    admin_url = options.database_url
    server = urlsplit(admin_url)
    folder = Path(tempfile.mkdtemp(prefix="canary-loadtest-"))
    redis, proxy, gunicorn, log = (
        Redis(folder),
        Proxy(server.hostname or "127.0.0.1", server.port or 5432),
        None,
        None,
    )
    port = free_port()
    credentials = server.username or "postgres"
    if server.password:
        credentials += f":{server.password}"
    drop = ("DATABASE_URL", "REDIS_URL", "VAR_DIR", "MEDIA_ROOT", "STATIC_ROOT", "DJANGO_SETTINGS_MODULE")
    env = {
        **{name: value for name, value in os.environ.items() if name not in drop},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "PAYMENT_PROVIDER": "dev",  # on purpose: the local checkout, in production mode
        "DATABASE_URL": f"postgres://{credentials}@127.0.0.1:{proxy.port}/{DATABASE}",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "VAR_DIR": str(folder),
        "EMAIL_URL": "locmem://",
        "COMMENT_MIN_SECONDS": "0",
        "COMMENT_RATE_LIMIT": "1000000",
        "DONATION_RATE_LIMIT": "1000000",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(options.workers),
        "LOG_LEVEL": "WARNING",
    }
    try:
        print(
            f"Setting up in {folder}: PostgreSQL database {DATABASE}, "
            f"Redis :{redis.port}, proxy :{proxy.port}"
        )
        create_database(admin_url, DATABASE)
        redis.start()
        proxy.start()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        manage(env, "seed_appeals")
        manage(env, "collectstatic", "--noinput", "-v0")
        seeded = json.loads(manage(env, "shell", "-c", SEED_QUERY).strip().splitlines()[-1])
        urls = {"pages": seeded["articles"] * 2 + seeded["lists"], "commentable": seeded["commentable"]}

        log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - open for the whole run
        gunicorn = subprocess.Popen(  # noqa: S603 - our own arguments
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "canary.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        site = Site(port)
        wait_for_port(port)
        deadline = time.monotonic() + 30
        while len(worker_pids(gunicorn.pid)) < options.workers or site.request("GET", "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not become healthy")
            time.sleep(0.2)

        tally, stop, samples = Tally(), threading.Event(), []
        load = Load(site, urls, tally, stop)
        threads = [threading.Thread(target=load.health, args=(samples,), daemon=True)]
        for target, count in (
            (load.reader, options.readers),
            (load.commenter, options.commenters),
            (load.donor, options.donors),
        ):
            threads += [threading.Thread(target=target, daemon=True) for _ in range(count)]
        duration = options.duration
        print(
            f"Load for {duration} s: {options.readers} readers, {options.commenters} commenters, "
            f"{options.donors} donors against {options.workers} gunicorn workers on :{port}"
        )
        for thread in threads:
            thread.start()

        faults = []
        schedule = [(0.2, "worker killed"), (0.45, "Redis restarted"), (0.7, "database cut off")]
        for share, name in schedule:
            while tally.now() < duration * share:
                time.sleep(0.05)
            started = tally.now()
            if name == "worker killed":
                victim = random.choice(worker_pids(gunicorn.pid))
                os.kill(victim, signal.SIGKILL)
                cleared = started
                respawn_deadline = time.monotonic() + 30
                while victim in worker_pids(gunicorn.pid) or len(worker_pids(gunicorn.pid)) < options.workers:
                    if time.monotonic() > respawn_deadline:
                        raise RuntimeError("gunicorn did not replace the killed worker")
                    time.sleep(0.02)
                back = tally.now()
            elif name == "Redis restarted":
                redis.stop()
                time.sleep(options.outage)
                redis.start()
                cleared = back = tally.now()
            else:
                proxy.stop()
                time.sleep(options.outage)
                proxy.start()
                cleared = back = tally.now()
            faults.append({"fault": name, "at": started, "cleared": cleared, "back": back})
            print(f"  {started:5.1f} s  {name}")

        while tally.now() < duration:
            time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        elapsed = tally.now()

        checks = verify(admin_url, DATABASE, load)
        for index, fault in enumerate(faults):
            after = fault["back"]
            window_end = faults[index + 1]["at"] if index + 1 < len(faults) else elapsed
            fault["outage"] = round(fault["cleared"] - fault["at"], 2)
            fault["respawned after"] = (
                round(fault["back"] - fault["at"], 2) if fault["fault"] == "worker killed" else None
            )
            fault["healthy after"] = healthy_after(samples, after)
            fault["reader ok after"] = first_after(tally.timeline, after, {"reader"})
            fault["comment ok after"] = first_after(tally.timeline, after, {"commenter"})
            fault["donation ok after"] = first_after(tally.timeline, after, {"donor"})
            # Failures from the fault until things were back, plus two seconds, before the next fault.
            fault["failed requests"] = errors_between(tally.timeline, fault["at"], min(window_end, after + 2))
        report(options, elapsed, tally, faults, checks)
        (BASE_DIR / "var").mkdir(exist_ok=True)
        (BASE_DIR / "var" / "loadtest-latest.json").write_text(
            json.dumps(
                {"duration": elapsed, "outcomes": tally.outcomes, "faults": faults, "checks": checks},
                indent=2,
            )
        )
        lost = sum(checks[f"{kind} lost"] for kind in ("comments", "donations", "receipts", "confirmations"))
        duplicated = checks["comments duplicated"] + checks["donations duplicated"]
        unrecovered = [
            f["fault"] for f in faults if f["healthy after"] is None or f["comment ok after"] is None
        ]
        return 1 if lost or duplicated or unrecovered else 0
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if log is not None:
            log.close()
        proxy.stop()
        redis.stop()
        if not options.keep:
            drop_database(admin_url, DATABASE)
            shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=float(os.environ.get("DURATION") or 60))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--commenters", type=int, default=3)
    parser.add_argument("--donors", type=int, default=2)
    parser.add_argument("--outage", type=float, default=3.0, help="seconds Redis and the database stay away")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to create the scratch database on (its maintenance database)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and folder afterwards")
    parser.add_argument("--proxy", nargs=2, metavar=("PORT", "HOST:PORT"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if not options.proxy and options.duration < 30:
        parser.error("--duration (DURATION) must be at least 30 seconds, so the faults do not overlap")
    if options.proxy:
        host, _, target_port = options.proxy[1].rpartition(":")
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        asyncio.run(serve_proxy(int(options.proxy[0]), host, int(target_port)))
        return 0
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
