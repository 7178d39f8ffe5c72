"""Speed and peak memory of the subscriber import on a large generated file (issue #21, "Speed").

Each size runs in a process of its own, on a fresh SQLite database under
var/bench/newsletter-import-N/, so the peak resident size is the import's (plus Django's).
Prints one JSON line per size; straight-line work shows as ten times the seconds for ten times
the rows, and a flat import as the same peak memory.

    python -m bench.newsletter_import 10000 100000
"""

# ruff: noqa: S603

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def resident_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def write_file(path, rows):
    """Rows as an old list exports them: mostly subscribed, some unsubscribed, a few bad addresses."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("email,name,status,consent_date,source\n")
        for n in range(rows):
            status = "unsubscribed" if n % 50 == 0 else ""
            email = f"reader{n}@canary.example" if n % 97 else f"reader{n} at canary.example"
            f.write(f"{email},Reader {n},{status},2021-0{1 + n % 9}-1{n % 10},old list form\n")


def measure(rows=100_000):
    """Generate the file, import it into a fresh newsletter; seconds and peak memory. Call in a fresh
    process (Django is set up here, on its own SQLite database)."""
    work = BASE_DIR / "var" / "bench" / f"newsletter-import-{rows}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    os.environ.update(VAR_DIR=str(work), DJANGO_SETTINGS_MODULE="canary.settings", STATIC_MANIFEST="0")
    os.environ.setdefault("NEWSLETTER_IMPORT_MAX_ROWS", str(max(rows, 250_000)))
    os.environ.setdefault("NEWSLETTER_IMPORT_MAX_BYTES", str(200 * 1024 * 1024))
    for name in ("DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "MEDIA_ROOT"):
        os.environ.pop(name, None)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Development settings keep every query's text under DEBUG: that is not the import's memory.
    settings.DEBUG = False

    from newsletters import importing
    from newsletters.factories import make_newsletter
    from newsletters.models import Subscription

    call_command("migrate", verbosity=0)
    daily = make_newsletter()
    path = work / "subscribers.csv"
    write_file(path, rows)
    before = resident_mb()
    cpu = cpu_seconds()
    started = time.monotonic()
    with open(path, "rb") as binary:
        tally = importing.run(binary, path.name, daily, say=lambda message: None)
    seconds = time.monotonic() - started
    cpu = cpu_seconds() - cpu
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1_048_576, 1),
        "subscribed": Subscription.objects.count(),
        "counts": tally.counts,
        "seconds": round(seconds, 1),
        # CPU time moves much less than wall time when others share the machine.
        "cpu_seconds": round(cpu, 1),
        "rows_per_second": round(rows / seconds),
        "rss_before_mb": round(before),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(sizes):
    if len(sizes) == 1:
        print(json.dumps(measure(int(sizes[0]))), flush=True)
        return
    for size in sizes:
        subprocess.run([sys.executable, "-m", "bench.newsletter_import", size], cwd=BASE_DIR, check=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["100000"])
