"""Which emails exist, and how each gathers what its templates need at the moment of sending.

An app registers a builder per email it sends; mailroom knows nothing of the apps. A builder
takes the row's params (ids) and returns the template context, or None when the email is no
longer worth sending (its donation was erased, the address asked too often).
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

_builders = {}


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


class UnknownEmail(LookupError):
    """A row names an email no app registers (a removed app, a typo)."""


def email_kind(name):
    """Register the decorated function as the context builder of emails/<name>.*."""

    def register(builder):
        _builders[name] = builder
        return builder

    return register


def known(name):
    return name in _builders


def coop():
    """The co-op's name and legal details, printed at the foot of every email."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "legal_name": settings.COOP_LEGAL_NAME,
        "registered_number": settings.COOP_REGISTERED_NUMBER,
        "address": settings.COOP_ADDRESS,
        "contact_email": settings.COOP_CONTACT_EMAIL,
    }


def render(email):
    """The email's subject and both parts, or None if there is nothing to send any more."""
    try:
        builder = _builders[email.template]
    except KeyError:
        raise UnknownEmail(email.template) from None
    context = builder(email.params, email.to)
    if context is None:
        return None
    context = {"coop": coop(), "to": email.to, **context}
    base = f"emails/{email.template}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    return Rendered(
        subject=subject[:250],
        text=render_to_string(f"{base}.txt", context),
        html=render_to_string(f"{base}.html", context),
    )
