"""The import benchmark (bench/newsletter_import.py) runs, on a small file, and says what it measured."""

import json
import subprocess
import sys

from django.conf import settings


def test_the_import_benchmark_runs_on_a_small_file():
    done = subprocess.run(
        [sys.executable, "-m", "bench.newsletter_import", "300"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows"] == 300 and result["counts"]["invalid"] == 4  # every 97th address is bad
    assert result["subscribed"] == result["counts"]["added"] - 5  # every 50th row is unsubscribed
    assert result["seconds"] >= 0 and result["peak_mb"] > 0
