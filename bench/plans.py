"""`make plans`: the query plans of the home, article and tag pages with a large archive.

Builds a scratch PostgreSQL database beside DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/canary; the scratch one is <name>_bench, as `make bench`
uses) with N generated articles (100,000 by default), runs ANALYZE as autovacuum would, and
explains every query those pages run (bench/explain.py). It prints each query's time and
whether it read a growing table whole (a sequential scan of articles, taggings, comments or
bylines), writes the plans to var/bench/plans.txt and the summary to var/bench/plans.json, and
exits 1 if any page reads a growing table whole.
"""

# The commands run here are this project's own (manage.py, bench modules).
# ruff: noqa: S603

import json
import os
import subprocess
import sys
import time

from bench.report import BENCH_DIR
from bench.run import build_site
from bench.servers import BASE_DIR, PYTHON, production_env
from bench.tools import say, scratch_postgres

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/canary"


def main():
    count = int(os.environ.get("N") or 100_000)
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make plans needs PostgreSQL: set DATABASE_URL=postgres://…")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = production_env(BENCH_DIR / "plans", DATABASE_URL=scratch_postgres(url), PAGE_CACHE_ENABLED="0")
    started = time.monotonic()
    build_site(count, env)
    say(f"  built in {time.monotonic() - started:.0f} s")
    result = subprocess.run(
        [PYTHON, "-m", "bench.explain"], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"bench.explain failed:\n{result.stdout}\n{result.stderr}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    lines, failed = [], False
    for name, page in report["pages"].items():
        say(f"\n{name} ({page['url']}): {len(page['queries'])} queries")
        for query in page["queries"]:
            scans = query["full_scans"]
            failed = failed or bool(scans)
            verdict = f"FULL SCAN of {', '.join(scans)}" if scans else "indexed"
            say(f"  {query['execution_ms'] or 0:8.2f} ms  {verdict:<12}  {query['sql'][:90]}")
            lines += [f"-- {name}: {query['sql']}", query["plan"], ""]
    (BENCH_DIR / "plans.txt").write_text("\n".join(lines))
    summary = {
        "articles": count,
        "pages": {
            name: [{k: v for k, v in q.items() if k != "plan"} for q in page["queries"]]
            for name, page in report["pages"].items()
        },
    }
    (BENCH_DIR / "plans.json").write_text(json.dumps(summary, indent=2))
    say(
        f"\n{'FAIL: a page reads a growing table whole' if failed else 'PASS: no page reads a growing table whole'}"
    )
    say(f"Plans in {BENCH_DIR / 'plans.txt'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
