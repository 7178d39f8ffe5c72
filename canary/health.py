from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def database_is_up():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return False


# One thread asks the media storage; a probe that hangs holds it, and the next checks report
# "slow" at once rather than pile up threads behind it.
_prober = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz-storage")
_last_probe = {}


def storage_state():
    """ "ok", "down" (it answered with an error) or "slow" (no answer within MEDIA_HEALTH_TIMEOUT)."""
    storage = storages["default"]
    probe = _last_probe.get(id(storage))
    if probe is None or probe.done():
        # Any answer about a name that is never stored, yes or no, shows the storage is there.
        probe = _prober.submit(storage.exists, "healthz-probe")
        _last_probe.clear()
        _last_probe[id(storage)] = probe
    try:
        probe.result(timeout=settings.MEDIA_HEALTH_TIMEOUT)
    except Late:
        return "slow"
    except Exception:
        return "down"
    return "ok"


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers, so a load balancer keeps serving from this app server.

    Without Redis pages are served uncached, slower but whole; without the media storage they
    are served whole, only uploads wait. Either is named, the status says "degraded" and the
    answer stays 200; were it 503, one shared Redis or bucket going away would take every app
    server out of the load balancer at once. ``?strict=1`` answers 503 when anything
    is down, for monitoring that wants to page someone.
    """
    checks = {"database": "ok" if database_is_up() else "down"}
    if settings.REDIS_URL:
        # Not asked while this process's breaker is open (see canary.redis_breaker).
        checks["redis"] = "ok" if cache.ping() else "down"
    # Pages build picture addresses without asking the storage: slow or away, it only
    # holds up uploads and renditions, so it degrades the status and never fails it.
    checks["storage"] = storage_state()
    down = sorted(name for name, state in checks.items() if state != "ok")
    status = "down" if "database" in down else "degraded" if down else "ok"
    body = {"status": status, **checks}
    failing = "database" in down or (bool(down) and "strict" in request.GET)
    return JsonResponse(body, status=503 if failing else 200)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
