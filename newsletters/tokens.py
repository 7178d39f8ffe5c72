"""Signed links for readers: what they name is sealed by SECRET_KEY, never a guessable id.

django.core.signing also accepts signatures made with any key in SECRET_KEY_FALLBACKS, so a
link in an old email keeps working for as long as the previous key stays listed there.
"""

from django.core import signing

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
