"""The newsletters' transactional email: the confirmation link, made when it is sent."""

from django.conf import settings
from django.urls import reverse

from mailroom.kinds import email_kind

from .models import Consent
from .signup import CONFIRM_EMAIL
from .tokens import confirmation_token


@email_kind(CONFIRM_EMAIL)
def confirmation(params, to):
    """A fresh link to confirm what is still pending; nothing if it was all confirmed meanwhile.

    The typed name is never repeated: anyone can type any address, and a stranger's words must
    not reach someone else's inbox under our name.
    """
    consents = list(
        Consent.objects.select_related("newsletter").filter(
            pk__in=params.get("consents", []), subscription__subscriber__email=to, confirmed_at__isnull=True
        )
    )
    if not consents:
        return None
    token = confirmation_token(to, [consent.pk for consent in consents])
    return {
        "newsletters": [consent.newsletter.name for consent in consents],
        "link": settings.SITE_URL + reverse("newsletters:confirm", args=[token]),
    }
