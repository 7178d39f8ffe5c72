"""Smoke runs of the commands the docs name that no other test runs: the real command, on
something tiny, in seconds (see tests/test_doc_commands.py for the list)."""

import json
import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def run(*args, timeout=180):
    return subprocess.run(  # noqa: S603 - our own modules, fixed arguments
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_the_archive_benchmark_runs_on_a_tiny_archive(tmp_path):
    """`python -m bench.archive 20` with WP_SIZES=5: generates 20 stories into a SQLite archive it
    keeps, rebuilds the search index, imports a 5-post WordPress export and prints a row of
    figures for each; a second run reuses the 20 stories and says so."""

    def archive(wordpress_sizes):
        env = {**os.environ, "ARCHIVE_DIR": str(tmp_path), "WP_SIZES": wordpress_sizes}
        for name in ("DATABASE_URL", "FRESH"):
            env.pop(name, None)
        result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "bench.archive", "20"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return {
            line.split()[0]: line.split()[1:]
            for line in result.stdout.splitlines()
            if line[:9].strip().isdigit()
        }

    first = archive("5")
    assert set(first) == {"20", "5"}
    assert "reused" not in first["20"] and len(first["5"]) == 3
    assert (tmp_path / "archive-20" / "generated").exists()
    assert not (tmp_path / "wordpress-5").exists()  # an import's scratch database goes
    second = archive("")
    assert set(second) == {"20"} and second["20"][0] == "reused"
    # A mark whose stories are gone (another database's run, a deleted file) is not trusted.
    (tmp_path / "archive-20" / "canary.sqlite3").unlink()
    third = archive("")
    assert third["20"][0] != "reused"


def test_the_newsletter_send_benchmark_runs_on_a_tiny_list(tmp_path):
    """`BENCH_NEWSLETTER_N=40 python -m bench.newsletter_send`: a 5-story site of its own, two
    workers sending to lists of 10 and 40 through the SMTP sink, the bare loop and the article."""
    env = {
        **os.environ,
        "BENCH_NEWSLETTER_N": "40",
        "N": "5",
        "BENCH_NEWSLETTER_DIR": str(tmp_path),
        "BENCH_CONNECTIONS": "2",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.newsletter_send"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads((tmp_path / "results.json").read_text())
    assert set(figures["sizes"]) == {"10", "40"}
    assert figures["sizes"]["40"]["recipients"] == 40 and len(figures["sizes"]["40"]["worker_peak_mb"]) == 2
    assert figures["bare"]["messages"] == 40 and figures["ratio"] > 0
    assert figures["article"]["while_sending"]["errors"] == 0


def test_the_picture_script_checks_the_committed_picture():
    """`python -m tests.draw_layers --check`: the docs' picture is today's (it writes nothing)."""
    result = run("-m", "tests.draw_layers", "--check", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_fold_benchmark_folds_every_view_it_made(tmp_path):
    """`python -m bench.fold` on 20 generated stories, two minutes, without Redis: every one of
    its 60,000 views and 18,000 read-throughs a minute ends in the tallies."""
    import sqlite3

    env = {**os.environ, "VAR_DIR": str(tmp_path), "STATIC_MANIFEST": "0", "FOLD_MINUTES": "2"}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    for args in (
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["-m", "bench.data", "20"],
        ["-m", "bench.fold"],
    ):
        result = subprocess.run(  # noqa: S603 - our own modules, fixed arguments
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["minutes"] == 2 and figures["stories"] == 20 and not figures["redis"]
    assert figures["counts_a_fold"] > 20 and figures["day_s"] > 0
    with sqlite3.connect(tmp_path / "canary.sqlite3") as database:
        counted = dict(database.execute("SELECT metric, SUM(count) FROM readership_tally GROUP BY metric"))
    assert counted == {"view": 120_000, "read": 36_000}
