"""The page cache: anonymous reader pages served whole from the shared cache.

The contract every reader page keeps:

* A view declares its page shareable by sending ``Cache-Control: public`` (Django's
  ``cache_control(public=True)``). Only such 200 responses to GET/HEAD requests without a
  session or messages cookie are stored, and never one that sets a cookie or used the
  CSRF token.
* Requests that carry a session or messages cookie bypass the cache entirely and every
  response to them says ``private, no-store``.
* Each entry is keyed by a site-wide generation token, bumped after any content change
  commits (see ``canary.apps``), so invalidation is exact and shared by every worker. The
  token lives in Redis when configured and otherwise in a small file, so a hit costs no
  database query.
* No entry outlives the next change that happens by the clock alone (a scheduled article,
  comments closing...): the apps name callables in ``PAGE_CACHE_SCHEDULES`` that say when.
"""

import hashlib
import logging
import os
import secrets
import time
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

logger = logging.getLogger("canary.page_cache")

GENERATION_KEY = "page-cache:generation"
NEXT_CHANGE_KEY = "page-cache:next-change:{generation}"
PERSONAL_COOKIES = ("messages",)
NO_STORE = "private, no-store"


# --- The generation token -------------------------------------------------------------------


def _new_token():
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def _generation_file():
    return settings.PAGE_CACHE_GENERATION_FILE


def current_generation():
    """The token that keys every entry now, or None when the store cannot be read."""
    path = _generation_file()
    if path:
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


# --- Clock-driven expiry --------------------------------------------------------------------


def next_scheduled_change():
    """The earliest moment published content changes by the clock alone, or None."""
    moments = []
    for path in settings.PAGE_CACHE_SCHEDULES:
        moment = import_string(path)()
        if moment is not None:
            moments.append(moment)
    return min(moments) if moments else None


def seconds_to_live(generation):
    """How long a page rendered now may be kept: never past the next scheduled change."""
    now = time.time()
    key = NEXT_CHANGE_KEY.format(generation=generation)
    deadline = cache.get(key)
    if deadline is None:
        moment = next_scheduled_change()
        deadline = moment.timestamp() if isinstance(moment, datetime) else now + settings.PAGE_CACHE_SECONDS
        cache.set(key, deadline, max(1, int(deadline - now)))
    return int(min(settings.PAGE_CACHE_SECONDS, deadline - now))


# --- The middleware -------------------------------------------------------------------------


def cache_key(request, generation):
    allowed = settings.PAGE_CACHE_QUERY_PARAMS
    params = sorted((name, value) for name, value in request.GET.items() if name in allowed)
    query = urlencode(params)
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:40]
    return f"page:{generation}:{digest}"


def is_personal(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in PERSONAL_COOKIES)


def declared_public(response):
    return "public" in response.get("Cache-Control", "")


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
            return self.public_headers(self.get_response(request))

        generation = current_generation()
        key = cache_key(request, generation) if generation else None
        if key:
            entry = cache.get(key)
            if entry is not None:
                return self.from_entry(request, entry)

        response = self.get_response(request)
        if key and self.storable(request, response):
            self.store(key, generation, response)
            response["X-Cache"] = "miss"
            if request.method == "HEAD":
                length = len(response.content)
                response.content = b""
                response["Content-Length"] = str(length)
        return self.public_headers(response)

    def storable(self, request, response):
        return (
            response.status_code == 200
            and declared_public(response)
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_USED")
            and "no-store" not in response.get("Cache-Control", "")
        )

    def store(self, key, generation, response):
        timeout = seconds_to_live(generation)
        if timeout <= 0:
            return
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        headers = [(k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "x-cache")]
        cache.set(key, {"content": response.content, "headers": headers}, timeout)

    def from_entry(self, request, entry):
        headers = dict(entry["headers"])
        etag = headers.get("ETag")
        if etag and etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
            response["ETag"] = etag
        else:
            response = HttpResponse(b"" if request.method == "HEAD" else entry["content"])
            for name, value in entry["headers"]:
                response[name] = value
            response["Content-Length"] = str(len(entry["content"]))
        response["X-Cache"] = "hit"
        return self.public_headers(response)

    def public_headers(self, response):
        if declared_public(response) and response.status_code in (200, 304):
            del response["Cache-Control"]
            max_age = settings.PAGE_CACHE_SHARED_MAX_AGE
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=max_age,
                stale_while_revalidate=max_age,
            )
        elif "Cache-Control" not in response:
            response["Cache-Control"] = NO_STORE
        return response

    def private(self, response):
        response["Cache-Control"] = NO_STORE
        return response
