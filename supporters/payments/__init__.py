"""Payment providers behind one small interface, chosen by the PAYMENT_PROVIDER setting.

Every provider turns what it hears into `PaymentEvent`s, and `supporters.services.events.apply_event`
is the only code that changes donations and plans because of a payment: the dev checkout
and Stripe's webhooks drive exactly the same code after checkout.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PaymentEvent, PaymentProvider

PROVIDERS = {
    "dev": "supporters.payments.dev.DevProvider",
    "stripe": "supporters.payments.stripe.StripeProvider",
}


def get_provider(name=None):
    name = name or settings.PAYMENT_PROVIDER
    return import_string(PROVIDERS[name])()


__all__ = ["PaymentEvent", "PaymentProvider", "get_provider"]
