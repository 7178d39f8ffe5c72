"""Speed and peak memory of the WordPress importer on a large generated export.

Runs in a process of its own, on a fresh SQLite database under var/bench/wordpress/, so the
peak resident size it reports is the importer's (plus Django's). Prints one JSON line.

    python -m bench.wordpress          # WP_POSTS posts, 3000 by default; in WP_DIR if set
"""

import json
import os
import resource
import shutil
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = Path(os.environ.get("WP_DIR") or BASE_DIR / "var" / "bench" / "wordpress")


def resident_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    posts = int(os.environ.get("WP_POSTS") or 3000)
    if WORK_DIR.exists():
        shutil.rmtree(WORK_DIR)
    WORK_DIR.mkdir(parents=True)
    os.environ.update(VAR_DIR=str(WORK_DIR), DJANGO_SETTINGS_MODULE="canary.settings", STATIC_MANIFEST="0")
    for name in ("DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "MEDIA_ROOT"):
        os.environ.pop(name, None)

    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from articles.wordpress.sample import write_sample_export

    call_command("migrate", verbosity=0)
    export, media = WORK_DIR / "export.xml", WORK_DIR / "uploads"
    media.mkdir()
    started = time.monotonic()
    write_sample_export(export, posts=posts, media_dir=media)
    written = time.monotonic() - started
    before = resident_mb()
    cpu_before = cpu_seconds()
    started = time.monotonic()
    call_command("import_wordpress", str(export), media_dir=str(media), stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds = time.monotonic() - started
    cpu = cpu_seconds() - cpu_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "posts": posts,
                "imported": Article.objects.count(),
                "export_mb": round(export.stat().st_size / 1_048_576, 1),
                "write_seconds": round(written, 1),
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "posts_per_second": round(posts / seconds, 1),
                "rss_before_mb": round(before),
                "peak_mb": round(peak),
            }
        )
    )


if __name__ == "__main__":
    main()
