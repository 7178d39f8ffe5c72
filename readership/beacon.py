"""The beacon endpoint: one POST a page view, answered 204 whatever happens.

It runs as a middleware right after SecurityMiddleware, as the page cache does: before
sessions, CSRF and authentication, so it never reads a session, sets no cookie and costs a
constant amount of work. What it keeps is a count; the address is used only, keyed through a
hash that changes every day, for the per-client limit that lives a minute in the cache.
"""

import hashlib
import hmac
import logging
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from core.client_address import client_ip_of

from . import counting
from .models import Metric, Source
from .sources import clean_host, is_bot, source_of

logger = logging.getLogger("canary.readership")

MAX_BODY = 2048


@lru_cache(maxsize=1)
def beacon_path():
    return reverse("readership:beacon")


def own_host():
    # From the settings, not the request: a beacon with a bad Host still gets its 204.
    return clean_host(urlsplit(settings.SITE_URL).hostname)


def no_content():
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


def objects(meta):
    """True if the browser asks not to be tracked (Global Privacy Control or Do Not Track)."""
    return meta.get("HTTP_SEC_GPC", "").strip() == "1" or meta.get("HTTP_DNT", "").strip() == "1"


def client_key(meta, now):
    """The client, for the rate limit only: a keyed hash of its address that changes daily."""
    key = f"{settings.SECRET_KEY}:readership:{now:%Y-%m-%d}".encode()
    return hmac.new(key, client_ip_of(meta).encode(), hashlib.sha256).hexdigest()[:16]


def field_of(body, now):
    """The count one beacon's body asks for, or "" if it is not one we count."""
    try:
        data = parse_qs(body.decode("utf-8", "replace"), max_num_fields=8)
    except ValueError:
        return ""
    value = {name: values[0] for name, values in data.items() if values}
    path = value.get("p", "")
    if not path.startswith("/") or len(path) > 200 or "?" in path or "\x1f" in path:
        return ""
    hour = counting.hour_of(now)
    metric = value.get("e", Metric.VIEW)
    if metric == Metric.READ:
        return counting.field(Metric.READ, hour, path)
    if metric != Metric.VIEW:
        return ""
    via = value.get("v", "")
    source, host = source_of(clean_host(value.get("r")), via, own_host())
    appeal = value.get("a", "")
    appeal = int(appeal) if appeal.isdigit() and len(appeal) < 10 else 0
    # The newsletter issue whose link brought the reader: only with a newsletter's visit.
    issue = value.get("n", "") if source == Source.NEWSLETTER else ""
    issue = int(issue) if issue.isdigit() and len(issue) < 10 else 0
    return counting.field(Metric.VIEW, hour, path, source or Source.DIRECT, host, appeal, issue)


def count(meta, read):
    """Count the beacon a request carries, if it is one we count: `meta` is the WSGI environ
    (or request.META), `read(n)` reads up to n bytes of its body. Never raises: the answer is
    a 204 whatever happens here."""
    try:
        if meta.get("REQUEST_METHOD") != "POST" or is_bot(meta.get("HTTP_USER_AGENT", "")) or objects(meta):
            return
        now = timezone.now()
        field = field_of(read(MAX_BODY), now)
        if field:
            counting.record_limited(field, now, client_key(meta, now), settings.READERSHIP_RATE_LIMIT)
    except Exception:
        logger.exception("readership: a beacon could not be counted")


class BeaconMiddleware:
    """The beacon inside Django, where the WSGI shortcut (wsgi.py) is off or absent (runserver,
    the test client, ASGI)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != beacon_path():
            return self.get_response(request)
        count(request.META, request.read)
        return no_content()


def beacon(request):
    """The beacon's address, for reverse(); the middleware answers before any view would."""
    return no_content()
