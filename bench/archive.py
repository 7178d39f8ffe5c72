"""A big archive's one-off work, at several sizes: generating N stories and rebuilding the search
index, each in a fresh SQLite database under var/bench/archive-N/, with its time and peak memory.

    python -m bench.archive 10000 100000

Each step runs in a process of its own, so the peak resident size is that step's. Straight-line
work shows as ten times the time for ten times the stories.
"""

# ruff: noqa: S603

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def step(env, *args):
    """Run one step: its wall seconds, CPU seconds and the peak resident MB of its process.

    CPU time moves much less than wall time when others share the machine."""
    started = time.monotonic()
    child = subprocess.Popen([PYTHON, *args], cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode})")
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(count):
    work = BASE_DIR / "var" / "bench" / f"archive-{count}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {
        **os.environ,
        "VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "STATIC_MANIFEST": "0",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "MEDIA_ROOT"):
        env.pop(name, None)
    step(env, "manage.py", "migrate", "--noinput", "-v0")
    generated = step(env, "-m", "bench.data", str(count))
    rebuilt = step(env, "manage.py", "rebuild_search_index")
    shutil.rmtree(work, ignore_errors=True)
    return generated, rebuilt


def main():
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    print(f"{'stories':>9}  generate: wall s, CPU s, peak MB   rebuild index: wall s, CPU s, peak MB")
    for count in sizes:
        generated, rebuilt = measure(count)
        figures = "  ".join(
            f"{wall:>8.1f} {cpu:>7.1f} {peak:>7.0f}" for wall, cpu, peak in (generated, rebuilt)
        )
        print(f"{count:>9}  {figures}", flush=True)


if __name__ == "__main__":
    main()
