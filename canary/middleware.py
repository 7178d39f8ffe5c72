import logging

from django.core.exceptions import SuspiciousOperation
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
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError) and has_nul(request):
            logger.warning("Refused a NUL byte the database cannot take: %s", exception)
            return refuse_nul(request)
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception, extra={"request": request, "status_code": 503})
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
