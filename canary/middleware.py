import logging
import sys

from django.core.exceptions import SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.template.loader import render_to_string

from .csp import CanaryCSPMiddleware
from .errors import bad_request

logger = logging.getLogger("canary.errors")

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def remember_database_error(sender, request=None, **kwargs):
    """Note a database outage met outside a view (a middleware loading the session, say).

    Django turns such an exception into a 500 page before any outer middleware sees it; this
    receiver runs while it is being handled, so DatabaseUnavailableMiddleware can answer 503.
    """
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OperationalError | InterfaceError):
        request.database_error = error


got_request_exception.connect(remember_database_error, dispatch_uid="canary-database-unavailable")


def refuse_nul(request):
    return bad_request(request, SuspiciousOperation("NUL byte in the address"))


def has_nul(request):
    return "\x00" in request.path or any("\x00" in value for value in request.GET.values())


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting answers 503 with Retry-After, never a 500.

    Persistent connections with health checks reconnect by themselves once it is back. Input
    the database cannot hold at all (PostgreSQL refuses text with a NUL byte, even to compare)
    is the reader's mistake, answered 400 rather than a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            # No address of ours has one, and the old-path lookup on a 404 would fail on it. The
            # refusal goes through the header middleware after this one, as every page does.
            refuse = SecurityHeadersMiddleware(CanaryCSPMiddleware(XFrameOptionsMiddleware(refuse_nul)))
            return refuse(request)
        response = self.get_response(request)
        error = getattr(request, "database_error", None)
        if response.status_code == 500 and error is not None:
            # The 500 page already carries every header the inner middleware adds: keep them.
            self.unavailable(request, error, response)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DataError) and has_nul(request):
            logger.warning("Refused a NUL byte the database cannot take: %s", exception)
            return refuse_nul(request)
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return self.unavailable(request, exception, HttpResponse())

    def unavailable(self, request, exception, response):
        logger.error("Database unavailable: %s", exception, extra={"request": request, "status_code": 503})
        response.status_code = 503
        response.reason_phrase = "Service Unavailable"
        response.content = render_to_string("503.html")
        response["Content-Type"] = "text/html; charset=utf-8"
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
