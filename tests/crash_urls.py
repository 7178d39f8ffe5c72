"""The site's URLs plus one view that crashes, for the error-page tests."""

from django.urls import include, path

from canary.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the site's


def crash(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("crash/", crash), path("", include("canary.urls"))]
