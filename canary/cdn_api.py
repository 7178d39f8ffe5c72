"""The CDNs' purge APIs: Cloudflare's purge by tag and Fastly's purge by surrogate key.

Plain HTTPS with a timeout, so a CDN that hangs costs one timeout a try. Every answer other
than a documented success raises: ``RateLimited`` (429, with the Retry-After it asked for) or
``PurgeFailed``.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

# Cloudflare takes at most 30 tags a call; Fastly's bulk purge at most 256 keys.
CHUNK = {"cloudflare": 30, "fastly": 256}
DEFAULT_BASE = {"cloudflare": "https://api.cloudflare.com", "fastly": "https://api.fastly.com"}
# A Retry-After larger than this is read as this: a CDN cannot park our purges for a day.
MAX_RETRY_AFTER = 3600


class PurgeFailed(Exception):
    """The CDN did not accept the purge: timeout, refused connection, or an error answer."""


class RateLimited(PurgeFailed):
    def __init__(self, retry_after):
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


def provider():
    return settings.CDN_PURGE


def chunk_size():
    return CHUNK[provider()]


def _base():
    return (settings.CDN_API_BASE or DEFAULT_BASE[provider()]).rstrip("/")


def _retry_after(value):
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return 60  # absent or a date: a minute is polite either way
    return max(1, min(seconds, MAX_RETRY_AFTER))


def _post(url, headers, body=b""):
    if not url.startswith(("https://", "http://")):
        raise PurgeFailed(f"CDN_API_BASE must be an http(s) address, not {url[:40]!r}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - checked above
    try:
        with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read(65536)
    except urllib.error.HTTPError as error:
        if error.code == 429:
            raise RateLimited(_retry_after(error.headers.get("Retry-After"))) from None
        raise PurgeFailed(f"HTTP {error.code}") from None
    except (OSError, ValueError) as error:  # timeouts, refused connections, bad addresses
        raise PurgeFailed(f"{type(error).__name__}: {error}") from None


def _cloudflare(payload):
    url = f"{_base()}/client/v4/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache"
    headers = {
        "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
        "Content-Type": "application/json",
    }
    _, body = _post(url, headers, json.dumps(payload).encode())
    try:
        answer = json.loads(body)
    except ValueError:
        raise PurgeFailed("Cloudflare answered something that is not JSON") from None
    if not isinstance(answer, dict) or answer.get("success") is not True:
        errors = answer.get("errors") if isinstance(answer, dict) else None
        raise PurgeFailed(f"Cloudflare refused the purge: {errors!r}"[:300])


def _fastly(path, extra_headers=None):
    url = f"{_base()}/service/{settings.FASTLY_SERVICE_ID}/{path}"
    headers = {"Fastly-Key": settings.FASTLY_API_TOKEN, "Accept": "application/json", **(extra_headers or {})}
    _post(url, headers)


def purge_tags(tags):
    """Ask the CDN to forget every page carrying any of these tags (at most chunk_size())."""
    if provider() == "cloudflare":
        _cloudflare({"tags": list(tags)})
    else:
        _fastly("purge", {"Surrogate-Key": " ".join(tags)})


def purge_everything():
    if provider() == "cloudflare":
        _cloudflare({"purge_everything": True})
    else:
        _fastly("purge_all")
