"""Purging pages at a CDN (canary/cdn_purge.py, docs/production.md "Purge at the CDN"): settings
read from the environment, star-imported by canary/settings.py (which keeps their names)."""

from django.core.exceptions import ImproperlyConfigured

from canary.environment import env, env_int

# "cloudflare", "fastly", or empty for none: nothing is sent, and shared copies live
# PAGE_CACHE_SHARED_MAX_AGE.
CDN_PURGE = env("CDN_PURGE").strip().lower()
if CDN_PURGE not in ("", "cloudflare", "fastly"):
    raise ImproperlyConfigured("CDN_PURGE must be cloudflare, fastly or empty")
CLOUDFLARE_ZONE_ID = env("CLOUDFLARE_ZONE_ID")
CLOUDFLARE_API_TOKEN = env("CLOUDFLARE_API_TOKEN")
FASTLY_SERVICE_ID = env("FASTLY_SERVICE_ID")
FASTLY_API_TOKEN = env("FASTLY_API_TOKEN")
if CDN_PURGE == "cloudflare" and not (CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN):
    raise ImproperlyConfigured("CDN_PURGE=cloudflare needs CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN")
if CDN_PURGE == "fastly" and not (FASTLY_SERVICE_ID and FASTLY_API_TOKEN):
    raise ImproperlyConfigured("CDN_PURGE=fastly needs FASTLY_SERVICE_ID and FASTLY_API_TOKEN")
# The API's address; empty for the CDN's own (tests point it at a local server).
CDN_API_BASE = env("CDN_API_BASE")
# Changes this close together go out in one purge; each call gives up after the timeout.
CDN_PURGE_DELAY = env_int("CDN_PURGE_DELAY", 3)
CDN_PURGE_TIMEOUT = env_int("CDN_PURGE_TIMEOUT", 10)
CDN_PURGE_RETRY_LIMIT = env_int("CDN_PURGE_RETRY_LIMIT", 8)
CDN_PURGE_FIRST_RETRY = env_int("CDN_PURGE_FIRST_RETRY", 10)
# With purging, a CDN may keep a page this long, but never past its next change by the clock.
CDN_SHARED_MAX_AGE = env_int("CDN_SHARED_MAX_AGE", 6 * 3600)
CDN_CLOCK_SECONDS = env_int("CDN_CLOCK_SECONDS", 60)
