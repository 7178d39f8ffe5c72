"""Security events in the log (who and when), and staff sessions that expire when idle."""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

logger = logging.getLogger("canary.security")


def client_address(request):
    if request is None:
        return "-"
    from core.client_address import client_ip  # the same proxy-aware reading as everywhere else

    return client_ip(request)


def logged_in(sender, request, user, **kwargs):
    logger.info("Sign-in: %s (staff=%s) from %s", user.get_username(), user.is_staff, client_address(request))


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        logger.info("Sign-out: %s", user.get_username())


def login_failed(sender, credentials, request=None, **kwargs):
    # The username tried, never the password.
    logger.warning("Failed sign-in for %r from %s", credentials.get("username", ""), client_address(request))


def groups_changed(sender, instance, action, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from django.contrib.auth.models import Group

    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    # An audit record, not a problem: INFO, so a first run's demo accounts raise no warnings.
    logger.info(
        "Role change: %s %s %s", getattr(instance, "username", instance), action.removeprefix("post_"), names
    )


def connect():
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed

    user_logged_in.connect(logged_in, dispatch_uid="canary-security-login")
    user_logged_out.connect(logged_out, dispatch_uid="canary-security-logout")
    user_login_failed.connect(login_failed, dispatch_uid="canary-security-failed")
    m2m_changed.connect(
        groups_changed, sender=get_user_model().groups.through, dispatch_uid="canary-security-roles"
    )


class StaffSessionMiddleware:
    """Staff are signed out after STAFF_SESSION_IDLE_SECONDS without a request.

    Supporters stay signed in for months; a newsroom account left open on a shared computer
    should not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)
