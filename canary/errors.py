"""Error pages in the site's own templates. The 500 page renders with no database."""

import logging

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import (
    BadRequest,
    MiddlewareNotUsed,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import defaults

logger = logging.getLogger("django.request")

# Raised while the body is read, before any view runs: the form's own message cannot show.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception):
    if isinstance(exception, TOO_LARGE):
        # Only the body was too big; the request is sound enough for the site's usual frame.
        context = {
            "limit_text": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
            "field_limit": f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}",
        }
        return HttpResponse(render_to_string("413.html", context, request=request), status=413)
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request, exception):
    if in_the_newsroom(request):
        return newsroom_error(request, 403, exception)
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    if in_the_newsroom(request):
        return newsroom_error(request, 404, exception)
    return defaults.page_not_found(request, exception, template_name="404.html")


def in_the_newsroom(request):
    """Under the admin's address (ADMIN_PATH), matched or not: staff stay in the admin's frame."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.app_name == "admin"
    return request.path.startswith(reverse("admin:index"))


def newsroom_error(request, status, exception):
    """The admin's own 403 and 404, with its header and a way back, never the readers' pages
    (their appeals and banners) nor Django's plain ones."""
    context = {"status": status, "exception": exception}
    if hasattr(request, "user"):  # the admin's frame needs the person (auth ran)
        context.update(admin.site.each_context(request))
    else:
        context.update(site_header=admin.site.site_header, site_url=admin.site.site_url)
    if status == 403:
        # A refusal we wrote says why; Django's bare PermissionDenied() carries no words.
        context["reason"] = str(exception or "")
    template = f"admin/{status}.html"
    return HttpResponse(render_to_string(template, context, request=request), status=status)


def server_error(request):
    return HttpResponseServerError(render_to_string("500.html"))


class DesignedErrorPagesMiddleware:
    """With DEBUG on and DEBUG_ERROR_PAGES off (`make run`), readers get the designed pages.

    Django shows its debug pages whenever DEBUG is on, and `make run` keeps DEBUG on for
    development's conveniences (plain HTTP, the test checkout, media served). This answers as
    production would: a view's 404 or crash, and an address no URL matches, get the site's own
    pages; the crash is still logged with its traceback.
    """

    def __init__(self, get_response):
        if not settings.DEBUG or settings.DEBUG_ERROR_PAGES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            # No URL matched: Django answered with its debug page listing every pattern.
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django answers with handler403 whatever DEBUG says
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return bad_request(request, exception)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={"status_code": 500, "request": request},
        )
        return server_error(request)
