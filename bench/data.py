"""Fill an empty, migrated database with N generated articles (articles/archive_generator.py).

DJANGO_SETTINGS_MODULE=canary.settings python -m bench.data 10000
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canary.settings")
django.setup()

from articles.archive_generator import generate  # noqa: E402

if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    started = time.monotonic()
    made, comments = generate(count, log=lambda line: print(line, flush=True))
    print(f"Generated {made} articles and {comments} comments in {time.monotonic() - started:.1f} s")
