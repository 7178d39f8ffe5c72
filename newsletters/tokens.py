"""Signed links for readers: what they name is sealed by SECRET_KEY, never a guessable id.

django.core.signing also accepts signatures made with any key in SECRET_KEY_FALLBACKS, so a
link in an old email keeps working for as long as the previous key stays listed there.
"""

from django.core import signing

from .models import address_hash

CONFIRM_SALT = "newsletters.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def confirmation_token(email, consent_ids):
    return signing.dumps({"e": email, "c": sorted(consent_ids)}, salt=CONFIRM_SALT, compress=True)


def read_confirmation(token):
    """(email, consent ids) from a link we made in the last week, or None."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return str(data["e"]), [int(pk) for pk in data["c"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# Leaving and choosing. These links sit in every newsletter email for years (an old issue in an
# inbox must still unsubscribe), so they carry no age limit; they name the subscriber and the
# newsletter by id and bind the address's hash, so a row deleted and its id reused later can
# never be reached through an old link.
LEAVE_SALT = "newsletters.leave"
PREFERENCES_SALT = "newsletters.preferences"


def leave_token(subscriber, newsletter):
    return signing.dumps([subscriber.pk, newsletter.pk, _bind(subscriber)], salt=LEAVE_SALT)


def preferences_token(subscriber):
    return signing.dumps([subscriber.pk, _bind(subscriber)], salt=PREFERENCES_SALT)


def read_leave_token(token):
    """(subscriber id, newsletter id, address binding) from a link we made, or None."""
    try:
        subscriber_id, newsletter_id, binding = signing.loads(token, salt=LEAVE_SALT)
        return int(subscriber_id), int(newsletter_id), str(binding)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def read_preferences_token(token):
    """(subscriber id, address binding) from a link we made, or None."""
    try:
        subscriber_id, binding = signing.loads(token, salt=PREFERENCES_SALT)
        return int(subscriber_id), str(binding)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def binds(subscriber, binding):
    return _bind(subscriber) == binding


def _bind(subscriber):
    return address_hash(subscriber.email)[:12]
