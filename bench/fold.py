"""What folding readership counts costs: a day at 1,000 views a second, folded minute by minute.

Run by `make bench` against its site (the environment names the database and Redis); on its
own, against any site:

    python -m bench.fold                  # 60 minutes of 60,000 views each
    FOLD_MINUTES=10 python -m bench.fold

Each minute's 60,000 views (and a read-through for three in ten) are spread over the site's
newest STORIES published stories, the most read most (a Zipf-like spread, as a real day's
are), over sources and referring hosts, and left where the beacons leave them: Redis's pending
hash, or this process's batch without Redis. Then `fold_counts` folds them, as the clock does
each minute. The first fold of an hour makes the hour's rows and the others add to them, so
the run starts on the hour. Prints one JSON line: the mean and worst fold, and what a day's
1,440 folds cost as a share of one core (client and database, where the database runs here).
"""

import json
import os
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canary.settings")
django.setup()

from articles.models import Article  # noqa: E402
from readership import counting  # noqa: E402

VIEWS_A_MINUTE = 60_000
STORIES = 2_000
# (source's referrer host, kind): where a co-op's readers come from on an ordinary day.
SOURCES = [
    ("", "direct", 40),
    ("google.com", "search", 22),
    ("duckduckgo.com", "search", 6),
    ("bsky.app", "social", 7),
    ("facebook.com", "social", 6),
    ("", "newsletter", 10),
    ("", "appeal", 3),
    ("localforum.example.org", "other", 6),
]


def minute_of_views(rng, paths, weights, hour):
    fields = Counter()
    pages = rng.choices(paths, cum_weights=weights, k=VIEWS_A_MINUTE)
    sources = rng.choices(SOURCES, weights=[share for *_, share in SOURCES], k=VIEWS_A_MINUTE)
    for path, (host, kind, _) in zip(pages, sources, strict=True):
        fields[counting.field("view", hour, path, kind, host)] += 1
    for path in rng.sample(pages, k=VIEWS_A_MINUTE * 3 // 10):
        fields[counting.field("read", hour, path)] += 1
    return fields


def leave_as_beacons_would(fields):
    store = counting.hash_store()
    if store is None:
        counting.local.counts.update(fields)
        return
    client = store._cache.get_client(write=True)
    key = store.make_and_validate_key(counting.PENDING_KEY)
    pipeline = client.pipeline(transaction=False)
    for name, count in fields.items():
        pipeline.hincrby(key, name, count)
    pipeline.execute()


def main():
    minutes = int(os.environ.get("FOLD_MINUTES") or 60)
    stories = list(Article.objects.published().order_by("-published_at")[:STORIES])
    paths = [story.get_absolute_url() for story in stories]
    weights, total = [], 0.0
    for rank in range(1, len(paths) + 1):
        total += 1 / rank
        weights.append(total)
    rng = random.Random(2026)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    cpu, wall, distinct = [], [], []
    for minute in range(minutes):
        now = start + timedelta(minutes=minute)
        fields = minute_of_views(rng, paths, weights, counting.hour_of(now))
        distinct.append(len(fields))
        leave_as_beacons_would(fields)
        began_cpu, began = time.process_time(), time.monotonic()
        counting.fold_counts(now)
        cpu.append(time.process_time() - began_cpu)
        wall.append(time.monotonic() - began)
    mean_wall = sum(wall) / minutes
    print(
        json.dumps(
            {
                "minutes": minutes,
                "views_a_minute": VIEWS_A_MINUTE,
                "stories": len(paths),
                "redis": counting.hash_store() is not None,
                "counts_a_fold": round(sum(distinct) / minutes),
                "fold_ms": round(1000 * mean_wall, 1),
                "fold_cpu_ms": round(1000 * sum(cpu) / minutes, 1),
                "worst_fold_ms": round(1000 * max(wall), 1),
                "day_s": round(1440 * mean_wall, 1),
                "share_of_a_core": round(1440 * mean_wall / 86_400, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
