"""`make profile`: where an uncached page spends its CPU, measured in-process.

make bench's ratios need a quiet machine and still move 10-30% between runs on a shared one.
This measures one page at a time, with no server, no network and no load generator, so that a
change can be compared before and after on the same machine.

1. Builds, the first time (or with FRESH=1), a site of N generated articles (2,000 by default)
   under var/profile/ with production settings, as make bench does. With DATABASE_URL the
   site is a scratch PostgreSQL database beside the one named, <name>_profile, with its files
   under var/profile-<name>/.
2. Sends each of make bench's pages (or PAGE=/some/path/) through Django's WSGI handler, page
   cache off, with the headers the proxy adds, and prints the CPU time a request takes: the
   best of five rounds of ROUNDS requests (50), after a warm-up.
3. With TOP=n it then profiles the same requests with cProfile and prints the n functions
   with the most time of their own (TOP_SORT=cumulative for time including callees).
"""

import cProfile
import io
import json
import os
import pstats
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench.run import build_site
from bench.servers import BASE_DIR, production_env


def scratch_database():
    """The PostgreSQL database the site lives in, beside DATABASE_URL's; None on SQLite.

    Derived from DATABASE_URL alone, so the child processes of make instructions, which inherit
    the caller's environment, find the same one."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/') or 'canary'}_profile"))


def profile_dir():
    scratch = scratch_database()
    if scratch is None:
        return BASE_DIR / "var" / "profile"
    return BASE_DIR / "var" / f"profile-{urlsplit(scratch).path.lstrip('/')}"


def site_env():
    extra = {"DATABASE_URL": scratch_database()} if scratch_database() else {}
    return production_env(
        profile_dir(),
        DJANGO_SETTINGS_MODULE="bench.settings",
        PAGE_CACHE_ENABLED="0",
        SECRET_KEY="profile-only-" + "x" * 40,
        **extra,
    )


def fresh_postgres(url):
    """Drops and creates the scratch database (never the one DATABASE_URL names)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def pages(env, count):
    folder = profile_dir()
    marker = folder / "pages.json"
    if marker.exists() and os.environ.get("FRESH") != "1":
        return json.loads(marker.read_text())
    for name in ("canary.sqlite3", "canary.sqlite3-wal", "canary.sqlite3-shm"):
        (folder / name).unlink(missing_ok=True)
    if scratch_database():
        fresh_postgres(scratch_database())
    folder.mkdir(parents=True, exist_ok=True)
    found = build_site(count, env)
    marker.write_text(json.dumps(found))
    return found


def requester(url):
    """A function that makes one request for url through Django, returning the status line."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    path, _, query = url.partition("?")
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status
        answer["headers"] = dict(headers)

    def one():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_ACCEPT_ENCODING": "gzip",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        response = handler(environ, start_response)
        b"".join(response)
        response.close()
        return answer["status"]

    one.answer = answer  # the last answer's status and headers
    return one


def repeat(one, rounds):
    for _ in range(rounds):
        one()


def cpu_per_request(one, rounds):
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(rounds):
            one()
        best = min(best, (time.process_time() - started) / rounds)
    return best


def main():
    count = int(os.environ.get("N", "2000"))
    rounds = int(os.environ.get("ROUNDS", "50"))
    top = int(os.environ.get("TOP", "0"))
    env = site_env()
    chosen = pages(env, count)
    targets = (
        {"page": os.environ["PAGE"]} if os.environ.get("PAGE") else {n: p["url"] for n, p in chosen.items()}
    )
    os.environ.update(env)
    import django

    django.setup()
    print(
        f"{count} articles in {profile_dir().relative_to(BASE_DIR)}/, page cache off; CPU per request, best of 5 x {rounds}"
    )
    for name, url in targets.items():
        one = requester(url)
        for _ in range(10):
            status = one()
        if not status.startswith("200"):
            print(f"{name:10} {url}: answered {status}, not measured")
            continue
        print(f"{name:10} {cpu_per_request(one, rounds) * 1000:7.2f} ms  {url}", flush=True)
        if top:
            profiler = cProfile.Profile()
            profiler.runcall(repeat, one, rounds)
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats(os.environ.get("TOP_SORT", "tottime")).print_stats(top)


if __name__ == "__main__":
    main()
