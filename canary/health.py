from django.conf import settings
from django.core.cache import cache
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


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers, so a load balancer keeps serving from this app server.

    Without Redis pages are served uncached, slower but whole: Redis is named, the status says
    "degraded" and the answer stays 200; were it 503, one shared Redis going away would take
    every app server out of the load balancer at once. ``?strict=1`` answers 503 when anything
    is down, for monitoring that wants to page someone.
    """
    checks = {"database": database_is_up()}
    if settings.REDIS_URL:
        # Not asked while this process's breaker is open (see canary.redis_breaker).
        checks["redis"] = cache.ping()
    down = sorted(name for name, ok in checks.items() if not ok)
    status = "down" if "database" in down else "degraded" if down else "ok"
    body = {"status": status, **{name: "ok" if ok else "down" for name, ok in checks.items()}}
    failing = "database" in down or (bool(down) and "strict" in request.GET)
    return JsonResponse(body, status=503 if failing else 200)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
