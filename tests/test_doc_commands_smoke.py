"""Smoke runs of the commands the docs name that no other test runs: the real command, on
something tiny, in seconds (see tests/test_doc_commands.py for the list)."""

import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def run(*args, timeout=180):
    return subprocess.run(  # noqa: S603 - our own modules, fixed arguments
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_the_archive_benchmark_runs_on_a_tiny_archive():
    """`python -m bench.archive 20`: generates 20 stories in a scratch SQLite database under
    var/bench/, rebuilds the search index and prints one row of figures, then removes it."""
    result = run("-m", "bench.archive", "20")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:] if line.strip()]
    assert len(rows) == 1 and rows[0][0] == "20"
    assert not (ROOT / "var" / "bench" / "archive-20").exists()


def test_the_picture_script_checks_the_committed_picture():
    """`python -m tests.draw_layers --check`: the docs' picture is today's (it writes nothing)."""
    result = run("-m", "tests.draw_layers", "--check", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
