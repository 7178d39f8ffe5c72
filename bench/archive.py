"""A big archive's one-off work, at several sizes: generating N stories, rebuilding the search
index, and the WordPress import of a generated export, each with its wall time, CPU time and
peak memory.

    python -m bench.archive                      # 10,000 and 100,000 stories; 3,000 and 30,000 posts
    python -m bench.archive 10000 100000         # these archive sizes
    DATABASE_URL=postgres://… python -m bench.archive

Each step runs in a process of its own, so its peak resident size is that step's. On PostgreSQL
the rebuild's CPU includes the server's (its backend and parallel workers, bench/rebuild.py);
on a shared machine compare CPU, as wall time moves with the others' load. Straight-line work
shows as ten times the time for ten times the stories.

Generating 100,000 stories takes minutes, so each generated archive is kept and reused by the
next run (FRESH=1 makes them again): SQLite's under ARCHIVE_DIR (var/bench/ by default) as
archive-N/, PostgreSQL's as the database <name>_archive_N beside DATABASE_URL's (its files
under archive-N-<name>_archive_N/); a kept archive that does not hold N stories is made again.
The import
sizes come from WP_SIZES ("3000 30000"; empty for none); each imports into a fresh SQLite
database.
"""

# ruff: noqa: S603

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def step(env, *args):
    """Run one step: its wall seconds, CPU seconds, peak resident MB and last line of output.

    CPU time moves much less than wall time when others share the machine."""
    started = time.monotonic()
    child = subprocess.Popen([PYTHON, *args], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(args)} failed")
    last = (output.strip().splitlines() or [""])[-1]
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, last


def archive_env(count):
    """The environment of one archive size, and whether its generated stories are already there."""
    work = Path(os.environ.get("ARCHIVE_DIR") or BASE_DIR / "var" / "bench") / f"archive-{count}"
    env = {
        **os.environ,
        "VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "STATIC_MANIFEST": "0",
    }
    for name in ("REDIS_URL", "STATIC_ROOT", "MEDIA_ROOT"):
        env.pop(name, None)
    fresh = os.environ.get("FRESH") == "1"
    url = os.environ.get("DATABASE_URL")
    if not url:
        if fresh:
            shutil.rmtree(work, ignore_errors=True)
        return env, (work / "generated").exists()
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'canary'}_archive_{count}"
    # Its files and its "generated" mark apart from SQLite's archive of the same size.
    work = work.with_name(f"{work.name}-{name}")
    env["VAR_DIR"] = str(work)
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if fresh or not exists:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    if fresh or not exists:
        shutil.rmtree(work, ignore_errors=True)
    return env, (work / "generated").exists()


def measure(count):
    env, reused = archive_env(count)
    work = Path(env["VAR_DIR"])
    generated = None
    work.mkdir(parents=True, exist_ok=True)
    # A kept archive is brought to today's schema too (a migration may have moved the index).
    step(env, "manage.py", "migrate", "--noinput", "-v0")
    if reused and stories_in(env) != count:
        reused = False  # the mark outlived its database: make the stories again
    if not reused:
        generated = step(env, "-m", "bench.data", str(count))[:3]
        (work / "generated").write_text(f"{count}\n")
    rebuilt = json.loads(step(env, "-m", "bench.rebuild")[3])
    client, server = rebuilt["client_cpu_s"], rebuilt["server_cpu_s"] or 0.0
    return generated, (rebuilt["wall_s"], client + server, rebuilt["peak_mb"], server)


def stories_in(env):
    code = (
        "import django; django.setup(); from articles.models import Article; print(Article.objects.count())"
    )
    return int(step(env, "-c", code)[3])


def imported(posts):
    work = Path(os.environ.get("ARCHIVE_DIR") or BASE_DIR / "var" / "bench") / f"wordpress-{posts}"
    env = {**os.environ, "WP_POSTS": str(posts), "WP_DIR": str(work)}
    wall, cpu, peak, line = step(env, "-m", "bench.wordpress")
    shutil.rmtree(work, ignore_errors=True)
    return wall, cpu, peak, json.loads(line)


def sizes_from(name, default):
    return [int(n) for n in os.environ.get(name, default).split()]


def figures(sizes, posts_sizes, say=print):
    """Every size's figures, said as each is taken, and returned for make bench's results.json."""
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    result = {"database": database, "archive": [], "wordpress": []}
    say(f"{database}: wall s, CPU s (the server's in brackets), peak MB")
    say(f"{'stories':>9}  {'generate':>24}   {'rebuild index':>32}")
    for count in sizes:
        generated, (wall, cpu, peak, server) = measure(count)
        made = "reused" if generated is None else "{:>8.1f} {:>7.1f} {:>7.0f}".format(*generated)
        say(f"{count:>9}  {made:>24}   {wall:>8.1f} {cpu:>7.1f} ({server:>5.1f}) {peak:>7.0f}")
        result["archive"].append(
            {
                "stories": count,
                "generate": None
                if generated is None
                else dict(zip(("wall_s", "cpu_s", "peak_mb"), generated, strict=True)),
                "rebuild": {"wall_s": wall, "cpu_s": cpu, "server_cpu_s": server, "peak_mb": peak},
            }
        )
    say(f"\n{'posts':>9}  WordPress import into SQLite: wall s, CPU s, peak MB")
    for posts in posts_sizes:
        wall, cpu, peak, report = imported(posts)
        say(f"{posts:>9}  {report['seconds']:>8.1f} {report['cpu_seconds']:>7.1f} {peak:>7.0f}")
        result["wordpress"].append({**report, "peak_mb": round(peak)})
    return result


def main():
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    figures(sizes, sizes_from("WP_SIZES", "3000 30000"), say=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
