"""Counting a beacon and folding the counts into the database.

A beacon adds one to a field of one Redis hash (HINCRBY, one round trip). `fold_counts(now)`,
run every minute by the clock, moves that hash aside under a claim, writes its counts and the
claim's mark in one transaction, then drops the claim: a fold that dies half-way is finished
by the next one, and a batch whose mark is already written is not counted again.

Without Redis (the embedded default), or while the breaker says Redis is away, counts gather
in this process and are written in batches: every READERSHIP_BATCH_SIZE counts or
READERSHIP_BATCH_SECONDS, whichever comes first, and at each fold.
"""

import logging
import secrets
import threading
import time
from collections import Counter
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from articles.models import Article
from core.ratelimit import allow_key, window_key

from .buffer import BeaconBuffer
from .models import FoldedBatch, Tally

logger = logging.getLogger("canary.readership")

PENDING_KEY = "readership:pending"
CLAIM_KEY = "readership:claim"
MARK = "#batch"  # the claim's field naming its batch; no count's field starts with "#"
SEPARATOR = "\x1f"
LIMIT_LIFETIME = 90  # seconds a client's minute counter lives: its minute, and a margin
# The reader pages a count may be about: anything else (previews, the admin, made-up paths) is dropped.
COUNTED_PAGES = {"home", "article", "latest", "section", "tag", "author", "month", "page", "search"}


def hash_store():
    """The cache, if it can keep shared counters (the Redis backend, canary.cache_backend)."""
    return cache if hasattr(cache, "hash_incr") else None


def hour_of(now):
    return int(now.timestamp()) // 3600 * 3600


def field(metric, hour, path, source="", host="", appeal=0, issue=0):
    return SEPARATOR.join([metric, str(hour), path, source, host, str(appeal), str(issue)])


def record(fields, now):
    """Count one beacon's fields: in Redis when it answers, otherwise in this process's batch."""
    store = hash_store()
    for name in fields:
        if store is None or store.hash_incr(PENDING_KEY, name) is None:
            local.add(name, now)


def record_limited(field, now, client, limit, window=60):
    """Count one beacon's field unless its client is over the limit. With Redis, gathered in
    this process and sent with the others about once a second (buffer.py), or, with
    READERSHIP_BUFFER_MS=0, the limit's count and the beacon's in one round trip; otherwise
    the limit as the cache keeps it, then this process's batch for the database."""
    counter = window_key("beacon", client, window)
    store = hash_store()
    if store is not None:
        if settings.READERSHIP_BUFFER_MS > 0:
            beacons.add(counter, field)
            return
        if store.limited_hash_add([(counter, field, 1)], LIMIT_LIFETIME, limit, PENDING_KEY):
            return
    record_without_redis([(counter, field, 1)], limit, now)


def record_without_redis(entries, limit, now):
    """Count [(counter, field, n)] in this process's batch, each within its client's limit."""
    for counter, field, n in entries:
        for _ in range(n):
            if allow_key(counter, limit, LIMIT_LIFETIME):
                record([field], now)


def send_gathered(entries):
    """One chunk of a process's gathered beacons, [(counter, field, n)]: to Redis in one script
    call, each client within its limit; if Redis cannot be reached, to the database batch."""
    store = hash_store()
    limit = settings.READERSHIP_RATE_LIMIT
    if store is None or store.limited_hash_add(entries, LIMIT_LIFETIME, limit, PENDING_KEY) is None:
        record_without_redis(entries, limit, timezone.now())


beacons = BeaconBuffer(send_gathered)


class LocalBatch:
    """Counts kept in this process until a batch is worth one transaction."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.since = time.monotonic()

    def add(self, name, now):
        with self.lock:
            self.counts[name] += 1
            due = (
                sum(self.counts.values()) >= settings.READERSHIP_BATCH_SIZE
                or time.monotonic() - self.since >= settings.READERSHIP_BATCH_SECONDS
            )
        if due:
            self.flush(now)

    def take(self):
        with self.lock:
            counts, self.counts, self.since = self.counts, Counter(), time.monotonic()
        return counts

    def flush(self, now):
        counts = self.take()
        if counts:
            write_counts(counts, now)

    def peek(self):
        with self.lock:
            return Counter(self.counts)


local = LocalBatch()


def fold_counts(now):
    """Write every count gathered so far into the database; safe to run twice, or after a crash."""
    beacons.flush()  # this process's own beacons first (a web process's are sent within a second)
    local.flush(now)
    store = hash_store()
    if store is None:
        return
    _fold_claim(store, now)  # one a crashed fold left behind
    if store.hash_claim(PENDING_KEY, CLAIM_KEY, MARK, secrets.token_hex(16)):
        _fold_claim(store, now)


def _fold_claim(store, now):
    claimed = store.hash_read(CLAIM_KEY)
    if not claimed:
        return
    token = claimed.pop(MARK, None)
    if token is None or not FoldedBatch.objects.filter(token=token).exists():
        write_counts(Counter({name: int(count) for name, count in claimed.items()}), now, token=token)
    store.delete(CLAIM_KEY)


def pending_counts():
    """Counts not yet in the database that this process can see: Redis's, or its own batch."""
    counts = local.peek()
    store = hash_store()
    if store is not None:
        for source_key in (CLAIM_KEY, PENDING_KEY):
            for name, count in (store.hash_read(source_key) or {}).items():
                if not name.startswith("#"):
                    counts[name] += int(count)
    return counts


def parse(counts):
    """{(hour, path, metric, source, host, appeal, issue): count} for the counts about reader pages."""
    rows = Counter()
    for name, count in counts.items():
        parts = name.split(SEPARATOR)
        if len(parts) == 6:
            parts.append("0")  # counted before beacons named a newsletter issue
        if len(parts) != 7 or count <= 0:
            continue
        metric, hour, path, source, host, appeal, issue = parts
        try:
            rows[(int(hour), path, metric, source, host, int(appeal), int(issue))] += count
        except ValueError:
            continue
    return rows


def articles_by_path(paths):
    """{path: article id} for the paths that are reader pages, None for other reader pages.

    A path that is not a reader page we count is left out: its counts are dropped.
    """
    found, slugs = {}, {}
    for path in paths:
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.namespace != "articles" or match.url_name not in COUNTED_PAGES:
            continue
        if match.url_name == "article":
            slugs.setdefault(match.kwargs["slug"], []).append(path)
        else:
            found[path] = None
    for article in Article.objects.published().filter(slug__in=slugs).select_related(None):
        url = article.get_absolute_url()
        if url in slugs.get(article.slug, ()):
            found[url] = article.id
    return found


def write_counts(counts, now, token=None):
    """Add counts to the tallies in one transaction (with the batch's mark, if it has one)."""
    rows = parse(counts)
    pages = articles_by_path({key[1] for key in rows})
    rows = {key: count for key, count in rows.items() if key[1] in pages}
    try:
        with transaction.atomic():
            if token is not None:
                FoldedBatch.objects.create(token=token, folded_at=now)
            _add(rows, pages)
    except IntegrityError:
        if token is not None and FoldedBatch.objects.filter(token=token).exists():
            return  # another fold wrote this batch meanwhile
        raise


# Each tally row is added to, or made, in one statement: no read first, and two folds at once
# cannot make the same row twice (the unique key decides). Identifiers from the model.
_COLUMNS = ("hour", "day", "path", "article_id", "metric", "source", "host", "appeal", "issue", "count")
_KEY = ("hour", "path", "metric", "source", "host", "appeal", "issue")
_UPSERT_BATCH = 500


def _add(rows, pages):
    if not rows:
        return
    ops, zone = connection.ops, timezone.get_default_timezone()
    values = []
    for (hour, path, metric, source, host, appeal, issue), count in rows.items():
        start = datetime.fromtimestamp(hour, UTC)
        values.append(
            [
                ops.adapt_datetimefield_value(start),
                ops.adapt_datefield_value(start.astimezone(zone).date()),
                path,
                pages[path],
                metric,
                source,
                host,
                appeal,
                issue,
                count,
            ]
        )
    table, quote = ops.quote_name(Tally._meta.db_table), ops.quote_name
    row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for begin in range(0, len(values), _UPSERT_BATCH):
            chunk = values[begin : begin + _UPSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(map(quote, _COLUMNS))}) VALUES {', '.join([row] * len(chunk))} "  # noqa: S608 (identifiers from the model)
                f"ON CONFLICT ({', '.join(map(quote, _KEY))}) "
                f"DO UPDATE SET {quote('count')} = {table}.{quote('count')} + excluded.{quote('count')}",
                [value for one in chunk for value in one],
            )
