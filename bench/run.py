"""`make bench`: how fast Canary serves readers, as ratios to Django's smallest view.

1. Builds a fresh database under var/bench/ (or a scratch one beside DATABASE_URL) with N
   generated articles (N=10000 by default) and counts each page's queries in-process.
2. Serves, with the same gunicorn configuration (2 workers per core, production settings), the
   reference view (bench/reference.py) throughout, and in turn Canary with the page cache off
   (cold), Canary with it on (warm), and Canary behind deploy/nginx.conf.
3. Loads each page for BENCH_SECONDS (10) over 16 connections from a separate process (wrk,
   else bench/loadgen.py), sending X-Forwarded-Proto: https as the proxy would, right after a
   run of the same length on the reference: each ratio is to that run. Any answer but a 200
   is an error.
4. Prints a table with PASS/FAIL against the targets and writes var/bench/results.json. It
   exits non-zero only when something broke, not when a target is missed. Beside each ratio
   of requests per second it shows the servers' CPU time per request (gunicorn, nginx, a
   local Redis) and the ratio of those: on a machine that is busy with other work too, the
   CPU ratio says what a page costs far more steadily than throughput does.

5. Sends a newsletter to BENCH_NEWSLETTER_N generated subscribers (100,000; 0 skips it) with
   two workers to an SMTP sink, against a bare smtplib loop, with the warm article's CPU per
   request while it sends (bench/newsletter_send.py); and times the subscriber import when
   bench/newsletter_import.py exists.

Environment: N, BENCH_SECONDS, BENCH_CONNECTIONS (16), BENCH_NEWSLETTER_N, DATABASE_URL, REDIS_URL
(else redis://127.0.0.1:6379/5 when it answers, else per-worker memory and the generation file).
"""

# The commands run here are this project's own tools (gunicorn, nginx, wrk, npm, apt-get),
# with arguments built here: nothing comes from untrusted input.
# ruff: noqa: S603, S607

import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit

from bench import archive, loadgen, newsletter_send, script_cost
from bench.beacon import BEACON_PATH, beacon_load
from bench.nginx import Nginx, nginx_binary
from bench.report import BENCH_DIR, PAGES, evaluate, report
from bench.servers import BASE_DIR, PYTHON, Gunicorn, cpu_seconds, free_port, manage, production_env, request
from bench.tools import (
    ensure_tools,
    forget_redis_keys,
    local_redis_pids,
    redis_url,
    say,
    scratch_postgres,
    side_step,
)

WRK_SCRIPT = BASE_DIR / "bench" / "wrk.lua"


# --- Load -----------------------------------------------------------------------------------


def load(url, seconds, connections, headers=(), body=None, ok=200):
    """Drive url for seconds (POSTing body, if given); returns requests/s, latencies in ms and
    errors (answers other than `ok`)."""
    header_list = ["X-Forwarded-Proto: https", *headers]
    if shutil.which("wrk"):
        command = [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            # gunicorn's own limit: a slow answer is a slow answer, not a lost one.
            "--timeout",
            "30s",
            "-s",
            str(WRK_SCRIPT),
        ]
        for header in header_list:
            command += ["-H", header]
        extra = {"WRK_OK": str(ok)} | ({"WRK_BODY": body} if body is not None else {})
        result = subprocess.run(
            [*command, url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
            env={**os.environ, **extra},
        )
        line = next((row for row in result.stdout.splitlines() if row.startswith("WRKJSON ")), None)
        if line is None:
            raise RuntimeError(f"wrk failed: {result.stdout}{result.stderr}")
        raw = json.loads(line.removeprefix("WRKJSON "))
    else:
        raw = loadgen.run(
            url, connections=connections, threads=2, seconds=seconds, headers=header_list, body=body, ok=ok
        )
    duration = raw["duration_us"] / 1_000_000
    return {
        "rps": round(raw["requests"] / duration, 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "errors": raw["non200"] + raw["socket_errors"],
    }


def check_page(port, path, headers=None):
    status, response_headers, body = request(port, path, headers)
    if status != 200:
        raise RuntimeError(f"{path} answered {status} on port {port}, not 200")
    return response_headers, body


# --- The benchmark --------------------------------------------------------------------------


def build_site(count, env):
    say(f"Building a site of {count} articles...")
    started = time.monotonic()
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    generated = subprocess.run(
        [PYTHON, "-m", "bench.data", str(count)], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if generated.returncode != 0:
        raise RuntimeError(f"bench.data failed:\n{generated.stdout}\n{generated.stderr}")
    say("  " + generated.stdout.strip().splitlines()[-1])
    if "rebuild_search_index" in manage(env, "help", "--commands"):
        manage(env, "rebuild_search_index")
    say(f"  ready in {time.monotonic() - started:.1f} s (migrations, data, search index, static files)")
    counted = subprocess.run(
        [PYTHON, "-m", "bench.pages"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if counted.returncode != 0:
        raise RuntimeError(f"bench.pages failed:\n{counted.stdout}\n{counted.stderr}")
    return json.loads(counted.stdout.strip().splitlines()[-1])


def measured_apart(bench, env, label, path, log, warm, redis, workers, **load_options):
    """One figure from a server of its own, started with env (a switch turned), warmed on `warm`."""
    with Gunicorn(env, log=log) as server:
        warm_up(server.port, warm, workers)
        return bench.measure(
            label, server.port, path, groups=[server.process.pid], pids=redis, **load_options
        )


def warm_up(port, path, workers, headers=None):
    # Enough requests to reach every worker (each has its own memory cache without Redis).
    for _ in range(workers * 4):
        check_page(port, path, headers)


def run(count, seconds, connections):
    ensure_tools()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("canary.sqlite3", "canary.sqlite3-wal", "canary.sqlite3-shm", "cache", "media", "nginx"):
        target = BENCH_DIR / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()

    extra = {"GUNICORN_MAX_REQUESTS": os.environ.get("GUNICORN_MAX_REQUESTS", "0")}
    database = "SQLite (var/bench)"
    if os.environ.get("DATABASE_URL"):
        extra["DATABASE_URL"] = scratch_postgres(os.environ["DATABASE_URL"])
        database = f"PostgreSQL ({urlsplit(extra['DATABASE_URL']).path.lstrip('/')})"
    cache_url = redis_url()
    prefix = f"canary-bench-{secrets.token_hex(4)}"
    if cache_url:
        extra.update(REDIS_URL=cache_url, CACHE_KEY_PREFIX=prefix)
    env = production_env(BENCH_DIR, **extra)
    # canary.settings with the per-address search limit lifted: all the load comes from 127.0.0.1.
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    workers = 2 * (os.cpu_count() or 1)
    env["WEB_CONCURRENCY"] = str(workers)
    tool = "wrk" if shutil.which("wrk") else "bench/loadgen.py"

    pages = build_site(count, env)
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "load_average_at_start": os.getloadavg()[0],
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "config": {
            "articles": count,
            "seconds": seconds,
            "connections": connections,
            "workers": workers,
            "load_generator": tool,
            "database": database,
            "cache": "Redis" if cache_url else "per-worker memory + generation file",
        },
        "pages": pages,
    }
    say(
        f"Load: {tool}, {connections} connections, {seconds:g} s a page; gunicorn {workers} workers; "
        f"{database}; cache: {results['config']['cache']}"
    )
    log = BENCH_DIR / "gunicorn.log"
    log.unlink(missing_ok=True)

    reference_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.reference",
        "REFERENCE_BYTES": str(pages["article"]["bytes"]),
    }
    app = "bench.reference_wsgi:application"
    try:
        with Gunicorn(reference_env, app=app, log=log, probe="/") as reference:
            warm_up(reference.port, "/", workers)
            bench = Paired(reference, seconds, connections)

            with Gunicorn({**env, "PAGE_CACHE_ENABLED": "0"}, log=log) as server:
                for name in PAGES:
                    warm_up(server.port, pages[name]["url"], 1)
                    url = pages[name]["url"]
                    pages[name]["cold"] = bench.measure(
                        f"cold {name}", server.port, url, groups=[server.process.pid]
                    )

            # A warm page's CPU includes Redis's share, when Redis runs on this machine.
            redis = local_redis_pids() if cache_url else []
            warm = {"groups": [], "pids": redis}
            with Gunicorn(env, log=log) as server:
                warm["groups"] = [server.process.pid]
                for name in PAGES:
                    url = pages[name]["url"]
                    warm_up(server.port, url, workers)
                    headers, _ = check_page(server.port, url)
                    if headers.get("X-Cache") != "hit":
                        raise RuntimeError(
                            f"{url} is not served from the page cache (X-Cache: {headers.get('X-Cache')})"
                        )
                    pages[name]["warm"] = bench.measure(f"warm {name}", server.port, url, **warm)
                article = pages["article"]["url"]
                gzip_header = {"Accept-Encoding": "gzip"}
                warm_up(server.port, article, workers, gzip_header)
                pages["article"]["warm_gzip"] = bench.measure(
                    "warm article, gzip", server.port, article, gzip_header, **warm
                )
                results["beacon"] = bench.measure(
                    "beacon", server.port, BEACON_PATH, **beacon_load(article), **warm
                )
                results["nginx"] = through_nginx(bench, server, article, workers, redis)
                if newsletter_send.list_size():
                    loader = newsletter_send.article_loader(
                        server.port, article, warm["groups"], redis, connections
                    )
                    results["newsletter_send"] = newsletter_send.run(env, BENCH_DIR / "newsletter", loader)
            article = pages["article"]["url"]
            apart = {"log": log, "warm": article, "redis": redis, "workers": workers}
            # The same beacon with the WSGI shortcut off (readership/wsgi.py): what the shortcut gains.
            results["beacon_django"] = measured_apart(
                bench,
                {**env, "READERSHIP_BEACON_BEFORE_DJANGO": "0"},
                "beacon, through Django's handler",
                BEACON_PATH,
                **apart,
                **beacon_load(article),
            )
            # The readership script's cost to the warm article (bench/script_cost.py).
            results["readership_script"] = script_cost.measure(
                bench, env, prefix, article, log, redis, workers
            )
    finally:
        if cache_url:
            forget_redis_keys(cache_url, prefix)
            for other in script_cost.prefixes(prefix):
                forget_redis_keys(cache_url, other)

    # A big archive's one-off work at two sizes (bench/archive.py): generation, index rebuild, and
    # the WordPress import. BENCH_ARCHIVE_SIZES= and WP_SIZES= (empty) skip them.
    results["archive"] = archive.figures(
        archive.sizes_from("BENCH_ARCHIVE_SIZES", "10000 100000"),
        archive.sizes_from("WP_SIZES", "3000 30000"),
        say=say,
    )
    results["newsletter_import"] = side_step(env, "newsletter_import", "Newsletter import check")
    # A day of readership counts at 1,000 views a second, folded a minute at a time.
    results["readership_fold"] = side_step(env, "fold", "Readership fold")
    runs = bench.references
    rps = sorted(run["rps"] for run in runs)
    results["reference"] = {
        "url": "/",
        "bytes": pages["article"]["bytes"],
        "rps": rps[len(rps) // 2],  # the median run
        "p50_ms": sorted(run["p50_ms"] for run in runs)[len(runs) // 2],
        "p99_ms": max(run["p99_ms"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "cpu_us": sorted(run.get("cpu_us", 0) for run in runs)[len(runs) // 2],
        "spread": round(rps[-1] / rps[0] - 1, 3) if rps[0] else None,
        "runs": runs,
    }
    results["targets"] = evaluate(results)
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2))
    report(results)
    return results


class Paired:
    """Every run is paired with a run of the reference just before it, and divided by it.

    Machines are shared and busy at times: a ratio to a reference measured seconds earlier,
    under the same conditions, moves far less than one to a reference measured minutes away.
    """

    def __init__(self, reference, seconds, connections):
        self.reference = reference
        self.seconds = seconds
        self.connections = connections
        self.references = []

    def measure(self, label, port, path, headers=None, groups=(), pids=(), body=None, ok=200):
        reference = self.run(f"{self.reference.base_url}/", [self.reference.process.pid], [])
        self.references.append(reference)
        header_lines = [f"{name}: {value}" for name, value in (headers or {}).items()]
        figure = self.run(f"http://127.0.0.1:{port}{path}", groups, pids, header_lines, body, ok)
        figure["reference_rps"] = reference["rps"]
        figure["ratio"] = round(figure["rps"] / reference["rps"], 3) if reference["rps"] else 0.0
        if figure.get("cpu_us") and reference.get("cpu_us"):
            figure["cpu_ratio"] = round(reference["cpu_us"] / figure["cpu_us"], 3)
        say(
            f"  {label}: {figure['rps']:.0f} requests/s, reference {reference['rps']:.0f}: {figure['ratio']:.2f}"
            + (f" (CPU per request: {figure['cpu_ratio']:.2f})" if "cpu_ratio" in figure else "")
        )
        return figure

    def run(self, url, groups, pids, headers=(), body=None, ok=200, seconds=None):
        # Server CPU per request: what the page costs, whatever else the machine is doing.
        before = cpu_seconds(groups, pids)
        figure = load(url, seconds or self.seconds, self.connections, headers, body, ok)
        used = cpu_seconds(groups, pids) - before
        if groups and figure["requests"]:
            figure["cpu_us"] = round(1_000_000 * used / figure["requests"], 1)
        return figure


def through_nginx(bench, server, path, workers, redis):
    if not nginx_binary():
        say("  nginx: not installed, skipped")
        return None
    port = free_port()
    options = {
        "port": port,
        "upstreams": [f"127.0.0.1:{server.port}"],
        "static_root": BENCH_DIR / "static",
        "media_root": BENCH_DIR / "media",
    }
    with Nginx(BENCH_DIR / "nginx", **options) as nginx:
        warm_up(port, path, workers)
        headers, _ = check_page(port, path)
        if headers.get("X-Proxy-Cache") != "HIT":
            raise RuntimeError(f"nginx does not serve {path} from its cache: {headers.get('X-Proxy-Cache')}")
        groups = [nginx.process.pid, server.process.pid]
        return {"url": path, **bench.measure("nginx article", port, path, groups=groups, pids=redis)}


def main():
    count = int(os.environ.get("N") or 10_000)
    seconds = float(os.environ.get("BENCH_SECONDS") or 10)
    connections = int(os.environ.get("BENCH_CONNECTIONS") or 16)
    try:
        run(count, seconds, connections)
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        sys.exit(f"make bench failed: {error}")


if __name__ == "__main__":
    main()
