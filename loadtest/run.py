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
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
# A name of this run's own: two runs side by side, or a run and a developer's database, never share one.
DATABASE = f"canary_loadtest_{time.strftime('%Y%m%d%H%M%S', time.gmtime())}_{secrets.token_hex(3)}"
COMMENT_PREFIX = "loadtest comment"
DONOR_DOMAIN = "loadtest.invalid"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


# --- The database proxy: a process of its own, so stopping it drops every connection at once -------


async def _pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def _serve_proxy(listen_port, target_host, target_port):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, server_writer), _pipe(server_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port, reuse_address=True)
    async with server:
        await server.serve_forever()


class Proxy:
    """`python run.py --proxy PORT HOST:PORT`, started and killed by the load test."""

    def __init__(self, target_host, target_port):
        self.port = free_port()
        self.target = f"{target_host}:{target_port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own script and arguments
            [sys.executable, __file__, "--proxy", str(self.port), self.target]
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process is not None:
            self.process.kill()  # every connection through it ends now, as in a crash
            self.process.wait()
            self.process = None


# --- Redis and gunicorn -------------------------------------------------------------------------


class Redis:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None


def worker_pids(master_pid):
    try:
        return [
            int(pid) for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        ]
    except OSError:
        return []


# --- HTTP, as a browser behind the TLS proxy would speak it -----------------------------------------


class Site:
    def __init__(self, port):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method, path, *, form=None, cookies=None, timeout=15):
        """(status, headers, body); cookies, a dict, is updated from Set-Cookie."""
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "canary-loadtest",
        }
        body = None
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data


def failure_kind(error):
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError | http.client.RemoteDisconnected | BrokenPipeError):
        return "connection reset"
    if isinstance(error, TimeoutError | socket.timeout):
        return "timeout"
    return type(error).__name__


class Tally:
    """Every request's outcome, thread-safe, with a timeline to measure recovery from."""

    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes = defaultdict(Counter)  # kind -> outcome -> count
        self.timeline = []  # (seconds since start, kind, ok)
        self.started = time.monotonic()

    def now(self):
        return time.monotonic() - self.started

    def record(self, kind, outcome, ok):
        with self.lock:
            self.outcomes[kind][outcome] += 1
            self.timeline.append((self.now(), kind, ok))


class Load:
    def __init__(self, site, urls, tally, stop):
        self.site, self.urls, self.tally, self.stop = site, urls, tally, stop
        self.acknowledged_comments = []
        self.acknowledged_donations = []
        self.lock = threading.Lock()

    def call(self, kind, method, path, **options):
        """One request, tallied; None when it failed below HTTP."""
        try:
            status, headers, body = self.site.request(method, path, **options)
        except (OSError, http.client.HTTPException) as error:
            self.tally.record(kind, failure_kind(error), ok=False)
            return None
        return status, headers, body

    def reader(self):
        while not self.stop.is_set():
            path = random.choice(self.urls["pages"])
            answer = self.call("reader", "GET", path)
            if answer is not None:
                self.tally.record("reader", str(answer[0]), ok=answer[0] == 200)
            self.pause_after(answer is not None and answer[0] == 200)

    def commenter(self):
        while not self.stop.is_set():
            article_id = random.choice(self.urls["commentable"])
            cookies = {}
            answer = self.call("commenter", "GET", "/comments/token/", cookies=cookies)
            if answer is None or answer[0] != 200:
                if answer is not None:
                    self.tally.record("commenter", f"token {answer[0]}", ok=False)
                self.pause_after(False)
                continue
            body = answer[2]
            token = json.loads(body)
            text = f"{COMMENT_PREFIX} {uuid.uuid4().hex}"
            form = {
                "name": "Load Tester",
                "email": f"commenter-{uuid.uuid4().hex[:12]}@{DONOR_DOMAIN}",
                "body": text,
                "rendered": token["rendered"],
                "csrfmiddlewaretoken": token["csrf"],
            }
            answer = self.call(
                "commenter", "POST", f"/comments/{article_id}/post/", form=form, cookies=cookies
            )
            if answer is None:
                continue
            status, headers, _ = answer
            location = headers.get("Location", "")
            messages = any(h.startswith("messages=") for h in headers.get_all("Set-Cookie") or [])
            acknowledged = status == 302 and "#comment" in location and messages
            self.tally.record("commenter", "acknowledged" if acknowledged else str(status), ok=acknowledged)
            if acknowledged:
                with self.lock:
                    self.acknowledged_comments.append(text)
            self.pause_after(acknowledged)

    def donor(self):
        while not self.stop.is_set():
            cookies = {}
            answer = self.call("donor", "GET", "/support/", cookies=cookies)
            if answer is None:
                self.pause_after(False)
                continue
            status, _, body = answer
            match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            if status != 200 or match is None:
                self.tally.record("donor", f"form {status}", ok=False)
                self.pause_after(False)
                continue
            token = match.group(1).decode()
            email = f"donor-{uuid.uuid4().hex[:16]}@{DONOR_DOMAIN}"
            form = {
                "frequency": random.choice(["monthly", "annual", "one_off"]),
                "amount": random.choice(["5", "12.50", "30"]),
                "name": "Load Tester",
                "email": email,
                "consent": "on",
                "csrfmiddlewaretoken": token,
            }
            answer = self.call("donor", "POST", "/support/", form=form, cookies=cookies)
            if answer is None:
                self.pause_after(False)
                continue
            status, headers, _ = answer
            checkout = headers.get("Location", "")
            if status != 302 or "/support/checkout/test/" not in checkout:
                self.tally.record("donor", f"support {status}", ok=False)
                self.pause_after(False)
                continue
            path = urlsplit(checkout).path
            answer = self.call(
                "donor", "POST", path, form={"action": "pay", "csrfmiddlewaretoken": token}, cookies=cookies
            )
            if answer is None:
                self.pause_after(False)
                continue
            status, headers, _ = answer
            acknowledged = status == 302 and "/support/thanks/?donation=" in headers.get("Location", "")
            self.tally.record("donor", "acknowledged" if acknowledged else f"pay {status}", ok=acknowledged)
            if acknowledged:
                with self.lock:
                    self.acknowledged_donations.append(email)
            self.pause_after(acknowledged)

    def health(self, samples):
        while not self.stop.is_set():
            # Strict: "healthy" means everything is back, Redis included (a plain /healthz says 200
            # while pages are served uncached).
            answer = self.call("health", "GET", "/healthz?strict=1", timeout=5)
            status = answer[0] if answer else 0
            if answer is not None:
                self.tally.record("health", str(status), ok=status == 200)
            samples.append((self.tally.now(), status))
            time.sleep(0.1)

    def pause_after(self, ok):
        """A person whose page failed tries again after a moment, not in a tight loop."""
        if not ok:
            time.sleep(0.25)


# --- The run --------------------------------------------------------------------------------------


def manage(env, *args, capture=False):
    result = subprocess.run(  # noqa: S603 - our own manage.py and arguments
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SEED_QUERY = """
import json
from articles.models import Article, Author, Page, Section
from taggit.models import Tag
Article.objects.update(comments="open")
articles = list(Article.objects.published())
print(json.dumps({
    "articles": [a.get_absolute_url() for a in articles],
    "commentable": [a.pk for a in articles],
    "lists": ["/", "/latest/", "/search/?q=council", "/search/?q=rent+strike", "/feed/", "/support/",
              *[s.get_absolute_url() for s in Section.objects.all()],
              *[a.get_absolute_url() for a in Author.objects.all()],
              *[p.get_absolute_url() for p in Page.objects.all()],
              *[f"/tag/{t.slug}/" for t in Tag.objects.all()[:10]]],
}))
"""


def admin_connection(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=5,
    )


def database_connection(url, name=DATABASE):
    return admin_connection(urlsplit(url)._replace(path=f"/{name}").geturl())


def create_database(url):
    with admin_connection(url) as db:
        db.execute(f'CREATE DATABASE "{DATABASE}"')


def drop_database(url):
    with admin_connection(url) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def first_after(timeline, moment, kinds):
    """Seconds from `moment` to the first successful request of one of `kinds`, or None."""
    for at, kind, ok in timeline:
        if at >= moment and ok and kind in kinds:
            return at - moment
    return None


def healthy_after(samples, moment):
    for at, status in samples:
        if at >= moment and status == 200:
            return at - moment
    return None


def errors_between(timeline, start, end):
    counts = Counter()
    for at, kind, ok in timeline:
        if start <= at <= end and not ok:
            counts[kind] += 1
    return dict(counts)


def verify(url, load):
    """Every acknowledged write in the database exactly once; nothing of ours duplicated."""
    with database_connection(url) as db:
        comments = Counter(
            body
            for (body,) in db.execute(
                "SELECT body FROM articles_comment WHERE body LIKE %s", [f"{COMMENT_PREFIX} %"]
            )
        )
        paid = Counter(
            email
            for (email,) in db.execute(
                "SELECT s.email FROM supporters_donation d "
                "JOIN supporters_supporter s ON s.id = d.supporter_id "
                "WHERE s.email LIKE %s AND d.status = 'paid'",
                [f"%@{DONOR_DOMAIN}"],
            )
        )
        donations = Counter(
            email
            for (email,) in db.execute(
                "SELECT s.email FROM supporters_donation d "
                "JOIN supporters_supporter s ON s.id = d.supporter_id "
                "WHERE s.email LIKE %s",
                [f"%@{DONOR_DOMAIN}"],
            )
        )
        # A paid gift owes its giver a receipt: an outbox row with a delivery task of its own.
        receipts_missing = db.execute(
            "SELECT COUNT(*) FROM supporters_donation d "
            "JOIN supporters_supporter s ON s.id = d.supporter_id "
            "WHERE s.email LIKE %s AND d.status = 'paid' AND NOT EXISTS ("
            "  SELECT 1 FROM mailroom_email e JOIN django_tasks_database_dbtaskresult t"
            "  ON (t.args_kwargs -> 'args' ->> 0)::bigint = e.id"
            "  WHERE e.template = 'supporters/receipt' AND e.params ->> 'donation' = d.id::text)",
            [f"%@{DONOR_DOMAIN}"],
        ).fetchone()[0]
        # Each commenter here writes from an address of its own: each stored comment owes one
        # confirmation email, queued with a delivery task in the comment's own transaction.
        confirmations_missing = db.execute(
            "SELECT COUNT(*) FROM articles_comment c WHERE c.body LIKE %s AND NOT EXISTS ("
            "  SELECT 1 FROM mailroom_email e JOIN django_tasks_database_dbtaskresult t"
            "  ON (t.args_kwargs -> 'args' ->> 0)::bigint = e.id"
            "  WHERE e.template = 'articles/comment_confirmation' AND e.params ->> 'comment' = c.id::text)",
            [f"{COMMENT_PREFIX} %"],
        ).fetchone()[0]
    return {
        "comments acknowledged": len(load.acknowledged_comments),
        "comments lost": sum(1 for text in load.acknowledged_comments if comments[text] == 0),
        "comments duplicated": sum(1 for count in comments.values() if count > 1),
        "donations acknowledged": len(load.acknowledged_donations),
        "donations lost": sum(1 for email in load.acknowledged_donations if paid[email] == 0),
        "donations duplicated": sum(1 for count in donations.values() if count > 1),
        "receipts lost": receipts_missing,
        "confirmations lost": confirmations_missing,
        "comments stored in all": sum(comments.values()),
        "donations paid in all": sum(paid.values()),
    }


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
        create_database(admin_url)
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

        checks = verify(admin_url, load)
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
            drop_database(admin_url)
            shutil.rmtree(folder, ignore_errors=True)


def seconds(value):
    return "never" if value is None else f"{value:.2f} s"


def report(options, elapsed, tally, faults, checks):
    print()
    print(f"Requests in {elapsed:.1f} s (every one with X-Forwarded-Proto: https):")
    total = 0
    for kind in ("reader", "commenter", "donor", "health"):
        outcomes = tally.outcomes.get(kind, Counter())
        count = sum(outcomes.values())
        total += count
        detail = ", ".join(f"{outcome}: {n}" for outcome, n in outcomes.most_common())
        print(f"  {kind:<10} {count:>7}  ({detail})")
    print(f"  {'all':<10} {total:>7}  ({total / elapsed:.0f} a second)")
    print()
    print("Faults and recovery (from the moment the fault was cleared):")
    for fault in faults:
        print(
            f"  {fault['fault']:<18} at {fault['at']:5.1f} s, down {fault['outage']:.2f} s"
            + (
                f", new worker after {fault['respawned after']:.2f} s"
                if fault["respawned after"] is not None
                else ""
            )
            + f"; healthy after {seconds(fault['healthy after'])},"
            f" pages after {seconds(fault['reader ok after'])},"
            f" comments after {seconds(fault['comment ok after'])},"
            f" donations after {seconds(fault['donation ok after'])};"
            f" failed requests: {fault['failed requests'] or 0}"
        )
    print()
    print("Acknowledged writes:")
    print(
        f"  comments:  {checks['comments acknowledged']} acknowledged, {checks['comments lost']} lost, "
        f"{checks['comments duplicated']} duplicated ({checks['comments stored in all']} stored in all)"
    )
    print(
        f"  donations: {checks['donations acknowledged']} acknowledged, {checks['donations lost']} lost, "
        f"{checks['donations duplicated']} duplicated ({checks['donations paid in all']} paid in all)"
    )
    print(f"  receipts:  {checks['receipts lost']} paid gifts without a receipt queued for delivery")
    print(f"  emails:    {checks['confirmations lost']} stored comments without their confirmation queued")


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
        asyncio.run(_serve_proxy(int(options.proxy[0]), host, int(target_port)))
        return 0
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
