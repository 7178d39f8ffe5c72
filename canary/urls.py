from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from . import health, wellknown

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", health.favicon),
    path(".well-known/security.txt", wellknown.security_txt),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("readership/", include("readership.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("", include("supporters.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG and not settings.MEDIA_ORIGIN:
    # In production the web server or the bucket serves media (docs/production.md).
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

handler400 = "canary.errors.bad_request"
handler403 = "canary.errors.permission_denied"
handler404 = "canary.errors.page_not_found"
handler500 = "canary.errors.server_error"
