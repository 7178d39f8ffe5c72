"""Sending a newsletter, timed against the physical limit of the same machine.

For each list size (a quarter of BENCH_NEWSLETTER_N, then all of it; 100,000 by default) it
adds generated subscribers to a newsletter, starts an issue (the audience frozen into batches
as in production) and lets two real workers (`manage.py db_worker --batch`) send it over SMTP to
a sink on loopback: aiosmtpd in its own process, which notes the time of the first and the last
message and keeps one delivered message, byte for byte. Then a bare smtplib loop sends that
message over one connection, as many times, to a fresh sink. Both rates are timed at the sink,
first message to last. Each worker's peak memory comes from the kernel (wait4's ru_maxrss).
With a way to load the warm article (make bench passes one), it also measures the article's
server CPU per request on its own and while a third send, to the whole list, runs.

make bench runs this with its site and warm server; on its own it builds a small site under
var/bench-newsletter/ (or BENCH_NEWSLETTER_DIR) and serves it itself:

    BENCH_NEWSLETTER_N=10000 python -m bench.newsletter_send
"""

# The commands run here are this project's own (python, manage.py), with arguments built here.
# ruff: noqa: S603

import asyncio
import json
import os
import smtplib
import subprocess
import sys
import time
from pathlib import Path

from bench.servers import BASE_DIR, PYTHON, free_port
from bench.tools import say

WORKERS = 2
SENDER = "newsroom@localhost"
# A send that takes longer than this has stalled: the bench stops rather than waits forever.
PATIENCE_SECONDS = 3600


def list_size():
    return int(os.environ.get("BENCH_NEWSLETTER_N") or 100_000)


# --- In the subprocesses ----------------------------------------------------------------------


def seed(size):
    """Subscribers up to `size`, an issue of the latest stories, started; prints its audience."""
    import django

    django.setup()
    from articles.models import Article
    from newsletters import sending
    from newsletters.factories import make_issue, make_newsletter
    from newsletters.models import Newsletter, Subscriber, Subscription
    from supporters.models import CallToAction

    letter = Newsletter.objects.filter(slug="bench").first() or make_newsletter("The Bench Canary", "bench")
    CallToAction.objects.get_or_create(
        name="Bench appeal",
        defaults={"placement": "email", "headline": "Keep the Canary singing", "link": "/support/"},
    )
    have = Subscriber.objects.count()
    for start in range(have, size, 5000):
        made = Subscriber.objects.bulk_create(
            [Subscriber(email=f"reader{n:07d}@canary.example") for n in range(start, min(size, start + 5000))]
        )
        Subscription.objects.bulk_create(
            [Subscription(subscriber=s, newsletter=letter, status="subscribed", source="bench") for s in made]
        )
    stories = list(Article.objects.published().order_by("-published_at")[:6])
    issue = make_issue(letter, f"The bench issue for {size} readers", stories, preheader="Six stories")
    print(json.dumps({"issue": issue.pk, "recipients": sending.start(issue)}))


class Sink:
    """Counts what arrives; writes the count and the times of the first and last to a file."""

    def __init__(self, expected, stats_path):
        self.expected, self.stats_path = expected, stats_path
        self.count, self.first, self.last = 0, None, None

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        self.count += 1
        self.first = self.first or now
        self.last = now
        if self.count == 1:
            self.to = envelope.rcpt_tos[0]
            with open(self.stats_path + ".eml", "wb") as sample:
                sample.write(envelope.original_content or envelope.content)
        if self.count == self.expected:
            stats = {"count": self.count, "first": self.first, "last": self.last, "to": self.to}
            with open(self.stats_path, "w") as out:
                json.dump(stats, out)
        return "250 OK"


def serve_sink(port, expected, stats_path):
    from aiosmtpd.controller import Controller

    controller = Controller(Sink(expected, stats_path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.sleep(PATIENCE_SECONDS))
    finally:
        controller.stop()


def bare_loop(port, count, sample_path, to):
    """The physical limit: one message, byte for byte, over one connection, `count` times."""
    with open(sample_path, "rb") as sample:
        data = sample.read()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for _ in range(count):
            connection.sendmail(SENDER, [to], data)


# --- The parent --------------------------------------------------------------------------------


class SinkProcess:
    def __init__(self, expected, stats_path):
        self.port, self.stats_path = free_port(), str(stats_path)
        for path in (self.stats_path, self.stats_path + ".eml"):
            if os.path.exists(path):
                os.unlink(path)
        command = [
            PYTHON,
            "-m",
            "bench.newsletter_send",
            "sink",
            str(self.port),
            str(expected),
            self.stats_path,
        ]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP sink did not start")

    def wait(self, deadline):
        while not os.path.exists(self.stats_path):
            if time.monotonic() > deadline:
                raise RuntimeError("the sink did not get every message in time")
            time.sleep(0.2)
        with open(self.stats_path) as stats:
            return json.load(stats)

    def stop(self):
        """Stop the sink; the CPU seconds it used, from the kernel."""
        self.process.terminate()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_utime + usage.ru_stime


def run_python(env, *args):
    done = subprocess.run([PYTHON, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def rate(stats):
    seconds = stats["last"] - stats["first"]
    return round((stats["count"] - 1) / seconds, 1) if seconds > 0 else None


def send(env, size, work_dir, during=None):
    """Send an issue to `size` readers with two workers; the rate, peak memory and `during`'s result."""
    seeded = json.loads(run_python(env, "-m", "bench.newsletter_send", "seed", str(size)))
    expected = seeded["recipients"]
    sink = SinkProcess(expected, work_dir / f"send-{size}.json")
    try:
        worker_env = {**env, "NEWSLETTER_EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
        workers = [
            subprocess.Popen(
                [
                    PYTHON,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--no-startup-delay",
                    "--worker-id",
                    f"bench{n}",
                ],
                cwd=BASE_DIR,
                env=worker_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for n in range(WORKERS)
        ]
        measured = during() if during else None
        stats = sink.wait(time.monotonic() + PATIENCE_SECONDS)
        peaks, cpu = [], 0.0
        for worker in workers:
            _, status, usage = os.wait4(worker.pid, 0)
            worker.returncode = os.waitstatus_to_exitcode(status)
            peaks.append(round(usage.ru_maxrss / 1024, 1))
            cpu += usage.ru_utime + usage.ru_stime
    finally:
        sink_cpu = sink.stop()
    figure = {
        "recipients": expected,
        "msgs_per_s": rate(stats),
        "worker_peak_mb": peaks,
        # CPU per message moves far less than the rate when the machine is busy with other work.
        "worker_cpu_ms_per_msg": round(1000 * cpu / expected, 3),
        "sink_cpu_ms_per_msg": round(1000 * sink_cpu / expected, 3),
    }
    return figure, stats, sink.stats_path + ".eml", measured


def bare(count, sample_path, to, work_dir):
    sink = SinkProcess(count, work_dir / "bare.json")
    try:
        started = time.process_time()
        bare_loop(sink.port, count, sample_path, to)
        cpu = time.process_time() - started
        stats = sink.wait(time.monotonic() + PATIENCE_SECONDS)
    finally:
        sink_cpu = sink.stop()
    return {
        "messages": count,
        "msgs_per_s": rate(stats),
        "client_cpu_ms_per_msg": round(1000 * cpu / count, 3),
        "sink_cpu_ms_per_msg": round(1000 * sink_cpu / count, 3),
    }


def sent_line(figure):
    return (
        f"{figure['msgs_per_s']} msgs/s, worker CPU {figure['worker_cpu_ms_per_msg']} ms a message "
        f"(sink {figure['sink_cpu_ms_per_msg']} ms), worker peak RSS {figure['worker_peak_mb']} MB"
    )


def run(env, work_dir, article=None):
    """The whole step; `article(seconds)` loads the warm article and gives its CPU per request."""
    work_dir.mkdir(parents=True, exist_ok=True)
    full = list_size()
    small = max(full // 4, 1)
    say(f"Newsletter send: {WORKERS} workers, lists of {small} and {full}, SMTP sink on loopback...")
    results = {"workers": WORKERS, "sizes": {}}
    first, _, _, _ = send(env, small, work_dir)
    results["sizes"][small] = first
    say(f"  {small} readers: {sent_line(first)}")
    last, stats, sample, _ = send(env, full, work_dir)
    results["sizes"][full] = last
    say(f"  {full} readers: {sent_line(last)}")
    results["bare"] = bare(stats["count"], sample, stats["to"], work_dir)
    results["ratio"] = round(last["msgs_per_s"] / results["bare"]["msgs_per_s"], 3)
    say(
        f"  bare smtplib loop: {results['bare']['msgs_per_s']} msgs/s; ratio {results['ratio']} (goal >= 0.5)"
    )
    if article:
        # A send to the whole list again; the load lasts less than the send, so it sees only sending.
        seconds = max(2.0, min(10.0, 0.6 * full / last["msgs_per_s"]))
        alone = article(seconds)
        _, _, _, sending = send(env, full, work_dir, during=lambda: article(seconds))
        results["article"] = {"seconds": seconds, "alone": alone, "while_sending": sending}
        say(
            f"  warm article, server CPU per request: {alone.get('cpu_us')} us alone, "
            f"{sending.get('cpu_us')} us while sending ({alone['rps']:.0f} and {sending['rps']:.0f} requests/s)"
        )
    return results


def article_loader(port, path, groups, pids, connections):
    """A function that loads the article for some seconds and gives requests/s and CPU per request."""
    from bench.run import load
    from bench.servers import cpu_seconds

    def measure(seconds):
        before = cpu_seconds(groups, pids)
        figure = load(f"http://127.0.0.1:{port}{path}", seconds, connections)
        used = cpu_seconds(groups, pids) - before
        figure["cpu_us"] = round(1_000_000 * used / figure["requests"], 1) if figure["requests"] else None
        return figure

    return measure


def standalone():
    """A small site of its own, served warm, then the step with the article measured."""
    from bench.run import build_site, check_page, warm_up
    from bench.servers import Gunicorn, production_env
    from bench.tools import forget_redis_keys, local_redis_pids, redis_url, scratch_postgres

    work_dir = Path(os.environ.get("BENCH_NEWSLETTER_DIR") or BASE_DIR / "var" / "bench-newsletter")
    work_dir.mkdir(parents=True, exist_ok=True)
    for name in ("canary.sqlite3", "canary.sqlite3-wal", "canary.sqlite3-shm"):
        (work_dir / name).unlink(missing_ok=True)
    extra = {"GUNICORN_MAX_REQUESTS": "0"}
    if os.environ.get("DATABASE_URL"):
        extra["DATABASE_URL"] = scratch_postgres(os.environ["DATABASE_URL"])
    cache = redis_url()
    if cache:
        extra.update(REDIS_URL=cache, CACHE_KEY_PREFIX=f"canary-bench-newsletter-{os.getpid()}")
    env = {**production_env(work_dir, **extra), "DJANGO_SETTINGS_MODULE": "bench.settings"}
    workers = 2 * (os.cpu_count() or 1)
    env["WEB_CONCURRENCY"] = str(workers)
    pages = build_site(int(os.environ.get("N") or 200), env)
    path = pages["article"]["url"]
    try:
        with Gunicorn(env, log=work_dir / "gunicorn.log") as server:
            warm_up(server.port, path, workers)
            if check_page(server.port, path)[0].get("X-Cache") != "hit":
                raise RuntimeError(f"{path} is not served from the page cache")
            pids = local_redis_pids() if cache else []
            connections = int(os.environ.get("BENCH_CONNECTIONS") or 16)
            loader = article_loader(server.port, path, [server.process.pid], pids, connections)
            results = run(env, work_dir, loader)
    finally:
        if cache:
            forget_redis_keys(cache, extra["CACHE_KEY_PREFIX"])
    results["when"] = time.strftime("%Y-%m-%d %H:%M:%S %z")
    (work_dir / "results.json").write_text(json.dumps(results, indent=2))
    say(f"Written to {work_dir / 'results.json'}")
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canary.settings")
    match sys.argv[1:]:
        case ["seed", size]:
            seed(int(size))
        case ["sink", port, expected, stats_path]:
            serve_sink(int(port), int(expected), stats_path)
        case []:
            try:
                standalone()
            except (RuntimeError, subprocess.SubprocessError, OSError) as error:
                sys.exit(f"newsletter send bench failed: {error}")
        case _:
            sys.exit(__doc__)
