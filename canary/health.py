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
    checks = {"database": database_is_up()}
    if settings.REDIS_URL:
        checks["redis"] = cache.ping()
    down = sorted(name for name, ok in checks.items() if not ok)
    body = {
        "status": "down" if down else "ok",
        **{name: "ok" if ok else "down" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=503 if down else 200)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
