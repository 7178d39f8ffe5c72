"""Whether a signed-in session has given the second factor wherever the admin asks for one."""

from django.conf import settings
from django_otp import user_has_device


def required_for(user):
    """Superusers and the roles named in STAFF_TWO_FACTOR_ROLES must use an authenticator."""
    if not settings.STAFF_TWO_FACTOR_REQUIRED:
        return False
    return user.is_superuser or user.groups.filter(name__in=settings.STAFF_TWO_FACTOR_ROLES).exists()


def verified(user):
    return getattr(user, "is_verified", lambda: False)()


def second_factor_done(user):
    """Whether a signed-in session has the second factor wherever the admin asks for one: it
    verified a code, or the account needs none (no authenticator, and none required of it).

    The admin, previews and comment trust all ask this, so a session signed in without the code
    (a password alone before setting up, or a supporter's emailed link) is trusted nowhere.
    """
    return verified(user) or not (has_authenticator(user) or required_for(user))


def has_authenticator(user):
    """Asked several times per admin request, so remembered on the request's user."""
    if not hasattr(user, "_canary_has_authenticator"):
        user._canary_has_authenticator = user_has_device(user, confirmed=True)
    return user._canary_has_authenticator
