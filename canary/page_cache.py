"""The page cache: anonymous reader pages served whole from the shared cache.

The contract every reader page keeps:

* A view declares its page shareable by sending ``Cache-Control: public`` (Django's
  ``cache_control(public=True)``). Only such 200 responses to GET/HEAD requests without a
  session or messages cookie are stored, and never one that sets a cookie or used the
  CSRF token.
* Requests that carry a session or messages cookie (a well-formed session key, a signed
  messages cookie: junk does not count) bypass the cache entirely and every
  response to them says ``private, no-store``; so does a public view's answer that turned
  personal (it set a cookie or used the CSRF token), so no proxy keeps it either.
* The key is the path plus the query parameters its view declares it reads
  (``page_cache_params``), well formed: any other parameter cannot split it.
* Each entry belongs to a site-wide generation token, bumped after any content change
  commits (see ``canary.apps``), so invalidation is exact and shared by every worker: an
  entry whose generation is not the current one is a miss. The token lives in Redis when
  configured and otherwise in a small file; either way it is read on every request (never
  remembered), and a hit costs one cache round trip and no database query.
* No entry outlives the next change that happens by the clock alone (a scheduled article,
  comments closing...): the apps name callables in ``PAGE_CACHE_SCHEDULES`` that say when.
  A piece of one page that changes by the clock (readership's "Most read") says so for that
  page alone (``core.page_lifetime``), so other pages do not expire with it.

For a proxy or CDN in front, a stored page carries ``public, max-age=0, s-maxage=…,
stale-while-revalidate=…``, a strong ``ETag`` and a ``Last-Modified`` (when it was stored),
and conditional requests are answered 304 from the cache. Text is gzip-compressed once, when
it is stored; a reader whose browser accepts gzip gets that copy (its ETag ends in ``-gz``).
Everything a hit needs (body, final header list, validators) is worked out at store time, so
a hit only reads the cache and copies headers.
"""

import gzip
import hashlib
import logging
import math
import os
import secrets
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse, HttpResponseNotModified
from django.http.response import ResponseHeaders
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.module_loading import import_string

from core import page_lifetime

from . import cdn_headers
from .cache_backend import ResilientRedisCache
from .page_cache_requests import accepts_gzip, cache_key, declared_public, is_personal, not_modified

logger = logging.getLogger("canary.page_cache")

GENERATION_KEY = "page-cache:generation"
NEXT_CHANGE_KEY = "page-cache:next-change:{generation}"
NO_STORE = "private, no-store"
GZIP_SUFFIX = ":gz"
# What is worth compressing; images and fonts are compressed already.
COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/json")
# Headers a 304 repeats from the 200 it stands for (RFC 9110, section 15.4.5).
NOT_MODIFIED_HEADERS = {"cache-control", "etag", "last-modified", "vary", "content-location", "expires"}


# --- The generation token -------------------------------------------------------------------


def _new_token():
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def _generation_file():
    return settings.PAGE_CACHE_GENERATION_FILE


def current_generation():
    """The token that keys every entry now, or None when the store cannot be read."""
    path = _generation_file()
    if path:
        # Read on every request, never memoised: a bump in one worker must count at once in all.
        try:
            with open(path) as f:
                token = f.read().strip()
            if token:
                return token
        except FileNotFoundError:
            pass
        except OSError as error:
            logger.warning("Cannot read the page-cache generation file: %s", error)
            return None
        return bump_generation()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, _new_token(), None)
        token = cache.get(GENERATION_KEY)
    return token


def bump_generation():
    """Invalidate every cached page at once, for every worker."""
    token = _new_token()
    path = _generation_file()
    if path:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "w") as f:
                f.write(token)
            os.replace(temporary, path)
        except OSError as error:
            logger.error("Cannot write the page-cache generation file: %s", error)
            return None
    else:
        cache.set(GENERATION_KEY, token, None)
    return token


def lookup(key):
    """The current generation and the entry stored under key, in one cache round trip.

    With the file store the file is read and the entry fetched; with Redis the cache backend
    reads both at once (canary.cache_backend, the one place that touches Redis's internals).
    An entry from another generation, or past its deadline, is no entry.
    """
    backend = caches["default"]
    if _generation_file() or not isinstance(backend, ResilientRedisCache):
        generation = current_generation()
        entry = cache.get(key) if generation else None
    else:
        found = backend.read_with_generation(key, GENERATION_KEY)
        if found is None:
            return None, None  # Redis hung or away: served uncached until it answers again
        generation, entry = found
        generation = generation or current_generation()
    if entry is not None and (entry[0] != generation or entry[2] <= time.time()):
        entry = None
    return generation, entry


# --- Clock-driven expiry --------------------------------------------------------------------


def next_scheduled_change():
    """The earliest moment published content changes by the clock alone, or None."""
    moments = []
    for path in settings.PAGE_CACHE_SCHEDULES:
        moment = import_string(path)()
        if moment is not None:
            moments.append(moment)
    return min(moments) if moments else None


def time_to_next_change(generation):
    """Seconds until published content next changes by the clock (at most the longest lifetime)."""
    now = time.time()
    key = NEXT_CHANGE_KEY.format(generation=generation)
    deadline = cache.get(key)
    if deadline is None:
        horizon = max(settings.PAGE_CACHE_SECONDS, settings.CDN_SHARED_MAX_AGE if settings.CDN_PURGE else 0)
        moment = next_scheduled_change()
        deadline = moment.timestamp() if isinstance(moment, datetime) else now + horizon
        cache.set(key, deadline, max(1, int(deadline - now)))
    return deadline - now


def seconds_to_live(generation):
    """How long a page rendered now may be kept: never past the next scheduled change."""
    return int(min(settings.PAGE_CACHE_SECONDS, time_to_next_change(generation)))


# --- Entries --------------------------------------------------------------------------------
# An entry is a tuple, cheap to pickle: (generation, stored_at, deadline, etag, body, headers,
# not_modified_headers); the deadline is the end of its lifetime in the cache. The two header
# sets are Django ResponseHeaders, final (Cache-Control, Content-Length and validators
# included): unpickling restores them without re-validating every header, and each read from
# the cache unpickles fresh objects that a response may own.


def _entry(generation, stored_at, deadline, etag, body, headers, extra):
    headers = [*headers, *extra, ("ETag", etag), ("Content-Length", str(len(body)))]
    conditional = [(name, value) for name, value in headers if name.lower() in NOT_MODIFIED_HEADERS]
    return (
        generation,
        stored_at,
        deadline,
        etag,
        body,
        ResponseHeaders(headers),
        ResponseHeaders(conditional),
    )


def make_entries(generation, response, stored_at, deadline):
    """The plain and the gzip entry for a response (the same one when gzip would not help)."""
    body = response.content
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in ("set-cookie", "x-cache", "etag", "last-modified", "content-length")
    ]
    headers.append(("Last-Modified", http_date(stored_at)))
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
    plain = _entry(generation, stored_at, deadline, f'"{digest}"', body, headers, [])
    compressed = None
    if response.get("Content-Type", "").startswith(COMPRESSIBLE) and not response.has_header(
        "Content-Encoding"
    ):
        # mtime=0: the same page compresses to the same bytes in every worker.
        compressed = gzip.compress(body, compresslevel=6, mtime=0)
    if compressed is None or len(compressed) >= len(body):
        return plain, plain
    extra = [("Content-Encoding", "gzip")]
    return plain, _entry(generation, stored_at, deadline, f'"{digest}-gz"', compressed, headers, extra)


# --- The middleware -------------------------------------------------------------------------


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.skip_prefixes = tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)

    def __call__(self, request):
        if request.path.startswith(self.skip_prefixes):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or is_personal(request):
            return self.private(self.get_response(request))
        if not settings.PAGE_CACHE_ENABLED:
            return self.public_headers(request, self.get_response(request))

        # Django checks the Host header when a view asks for it; a hit never reaches one.
        request.get_host()
        base = cache_key(request)
        if base is None:
            return self.public_headers(request, self.get_response(request))
        wants_gzip = accepts_gzip(request)
        generation, entry = lookup(f"{base}{GZIP_SUFFIX}" if wants_gzip else base)
        if entry is not None:
            return self.from_entry(request, entry)

        response = self.get_response(request)
        if generation and self.shareable(request, response):
            entries = self.store(request, base, generation, response)
            if entries:
                return self.answer_miss(request, response, entries[1] if wants_gzip else entries[0])
        return self.public_headers(request, response)

    def shareable(self, request, response):
        """A page any anonymous reader may be given: the page cache or a proxy may keep it."""
        return (
            response.status_code == 200
            and declared_public(response)
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_USED")
            and "no-store" not in response.get("Cache-Control", "")
        )

    def store(self, request, base, generation, response):
        now = time.time()
        to_change = time_to_next_change(generation)
        until = page_lifetime.deadline(request)
        if until is not None:
            # A piece of this page changes by the clock (core.page_lifetime): not kept past it.
            to_change = min(to_change, until - now)
        lifetime = min(settings.PAGE_CACHE_SECONDS, to_change)
        if lifetime <= 0:
            return None
        cdn_headers.tag(request, response)
        self.set_public_cache_control(response, cdn_headers.shared_max_age(to_change))
        patch_vary_headers(response, ["Accept-Encoding"])
        # The entry ends at its exact deadline (lookup checks it); the cache's own timeout is
        # whole seconds, rounded up, so a page rendered in the last second before a change is
        # still kept for what is left of it.
        entries = make_entries(generation, response, int(now), now + lifetime)
        cache.set_many({base: entries[0], f"{base}{GZIP_SUFFIX}": entries[1]}, math.ceil(lifetime))
        return entries

    def answer_miss(self, request, response, entry):
        """The response just rendered, dressed as the entry it was stored as."""
        _, stored_at, _, etag, body, headers, conditional = entry
        if not_modified(request, etag, stored_at):
            return self.not_modified(conditional, "miss")
        response.content = b"" if request.method == "HEAD" else body
        # A copy: with the memory cache, the entry's own objects stay in this process.
        response.headers = ResponseHeaders(headers)
        response["X-Cache"] = "miss"
        return response

    def from_entry(self, request, entry):
        _, stored_at, _, etag, body, headers, conditional = entry
        if not_modified(request, etag, stored_at):
            return self.not_modified(conditional, "hit")
        response = HttpResponse(b"" if request.method == "HEAD" else body)
        # The stored headers whole (Content-Type included), not set one by one.
        response.headers = headers
        response["X-Cache"] = "hit"
        return response

    def not_modified(self, headers, outcome):
        response = HttpResponseNotModified()
        response.headers = headers
        response["X-Cache"] = outcome
        return response

    def set_public_cache_control(self, response, max_age=None):
        del response["Cache-Control"]
        if max_age is None:
            max_age = settings.PAGE_CACHE_SHARED_MAX_AGE
        # Stale copies only briefly, even under a long purged max-age: a clock change is not purged late.
        stale = min(max_age, settings.PAGE_CACHE_SHARED_MAX_AGE)
        patch_cache_control(response, public=True, max_age=0, s_maxage=max_age, stale_while_revalidate=stale)

    def public_headers(self, request, response):
        """Headers for an answer that was not stored: shared only if it could have been."""
        if self.shareable(request, response):
            cdn_headers.tag(request, response)
            self.set_public_cache_control(response)
        elif declared_public(response) and response.status_code == 200:
            # Public by intent but personal in fact (it set a cookie or used the CSRF token).
            response["Cache-Control"] = NO_STORE
        elif "Cache-Control" not in response:
            response["Cache-Control"] = NO_STORE
        return response

    def private(self, response):
        response["Cache-Control"] = NO_STORE
        return response
