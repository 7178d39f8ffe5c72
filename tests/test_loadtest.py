"""make loadtest's scratch database is its own: two runs, or a run and a developer's database, never share one."""

import subprocess
import sys

from django.conf import settings

NAME = "import runpy; print(runpy.run_path('loadtest/run.py')['DATABASE'])"


def database_of_a_run():
    result = subprocess.run(
        [sys.executable, "-c", NAME], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_each_load_test_run_names_a_database_of_its_own():
    first, second = database_of_a_run(), database_of_a_run()
    assert first != second
    assert first.startswith("canary_loadtest_") and second.startswith("canary_loadtest_")
