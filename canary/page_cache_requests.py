"""What the page cache reads from a request: its key, whether it is personal, whether it
accepts gzip, and whether its validators match a stored page (canary/page_cache.py says how
the cache uses them)."""

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils.http import parse_http_date_safe

# Django's cookie storage for flash messages: its cookie and the salt it is signed with.
MESSAGES_COOKIE = "messages"
MESSAGES_SALT = "django.contrib.messages"
# Part of every key: a deploy that changes the shape of entries never reads the old ones.
ENTRY_FORMAT = "page2"
_Q_ZERO = re.compile(r"^\s*q\s*=\s*0(\.0*)?\s*$")

# What a page's own parameters may hold to be looked up; anything else reaches the view uncached.
NUMBERED = {"page", "p"}
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}|last")
# What Django's session backends hand out; any other value names no session (see is_personal).
_SESSION_KEY = re.compile(r"[a-z0-9]{32}")


@lru_cache(maxsize=4096)
def params_read_by(path):
    """The query parameters the page at path reads: its view's ``page_cache_params``.

    Any other parameter cannot change the page, so it is left out of the key: ``/?page=7`` or
    ``/?q=junk`` is the cached home page, not a fresh render. Kept per path, in this process.
    """
    try:
        view = resolve(path).func
    except Resolver404:
        return ()
    return getattr(getattr(view, "view_class", view), "page_cache_params", ())


@receiver(setting_changed)
def _forget_views(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        params_read_by.cache_clear()


def cache_key(request):
    """The path plus the parameters the page reads, well formed; hashed when unfit for a key.

    None when a page number is not one (``?page=x``): that request is answered by the view,
    uncached, so junk values cannot fill the cache either.
    """
    query = ""
    if request.META.get("QUERY_STRING"):
        pairs = []
        for name in params_read_by(request.path_info):
            value = request.GET.get(name)
            if name in NUMBERED and value is not None:
                if not _PAGE_NUMBER.fullmatch(value):
                    return None
                value = None if value == "1" else value  # the first page is the page itself
            elif value is not None:
                # As search reads it: NUL bytes dropped, runs of whitespace one space.
                value = " ".join(value.replace("\x00", "").split())
            if value:
                pairs.append((name, value))
        query = urlencode(sorted(pairs))
    raw = f"{request.path}?{query}"
    if len(raw) <= 200 and raw.isascii() and raw.isprintable() and " " not in raw:
        return f"{ENTRY_FORMAT}:{raw}"
    # Paths always start with "/", so a digest can never collide with a plain key.
    return f"{ENTRY_FORMAT}:#{hashlib.sha256(raw.encode()).hexdigest()}"


def accepts_gzip(request):
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if "gzip" not in header:
        return False
    for part in header.split(","):
        coding, _, parameters = part.partition(";")
        if coding.strip().lower() == "gzip":
            return not _Q_ZERO.match(parameters)
    return False


def is_personal(request):
    """A request that may carry a session or a flash message: never answered from the cache.

    Checked cheaply, with no database: a session cookie counts only if it has the shape of a
    session key, a messages cookie only if it carries our signature. Junk in either cannot
    make a reader's request skip the cache and render the page again.
    """
    cookies = request.COOKIES
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if session_key is not None and _SESSION_KEY.fullmatch(session_key):
        return True
    messages = cookies.get(MESSAGES_COOKIE)
    if messages is None:
        return False
    try:
        signing.get_cookie_signer(salt=MESSAGES_SALT).unsign(messages)
    except signing.BadSignature:
        return False
    return True


def declared_public(response):
    return "public" in response.get("Cache-Control", "")


def _etags(header):
    """The entity tags of an If-None-Match header, compared weakly (W/ dropped), as RFC 9110 says."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def not_modified(request, etag, stored_at):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        # When both are sent, If-None-Match decides and If-Modified-Since is ignored.
        tags = _etags(if_none_match)
        return "*" in tags or etag in tags
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and stored_at <= since
    return False
