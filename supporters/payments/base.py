from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PaymentEvent:
    """What a provider told us, in our own words.

    kind is one of: checkout_paid, checkout_processing, checkout_failed, checkout_expired,
    invoice_paid, invoice_failed, subscription_updated, subscription_cancelled, refunded,
    or ignored for event types we do not act on.
    """

    provider: str
    event_id: str
    type: str
    kind: str
    occurred_at: datetime | None = None
    checkout_id: str | None = None
    payment_id: str | None = None
    subscription_id: str | None = None
    customer_id: str | None = None
    donation_id: int | None = None
    amount_pence: int | None = None
    period_end: datetime | None = None
    subscription_status: str | None = None
    cancel_at_period_end: bool | None = None
    first_payment: bool = False
    frequency: str | None = None  # of a subscription's current price: monthly or annual


class PaymentProvider:
    name = ""

    def start_checkout(self, donation, plan, *, success_url, cancel_url):
        """Create the provider's checkout for a pending donation; return the URL to send the reader to.

        Sets donation.provider_checkout_id (and saves it).
        """
        raise NotImplementedError

    def sync_checkout(self, donation):
        """Ask the provider how a checkout stands, as events; [] if it cannot say."""
        return []

    def cancel_plan(self, plan, immediately=False):
        """Stop a plan at the end of the period already paid for (or now); return the event that says so."""
        raise NotImplementedError

    def resume_plan(self, plan):
        """Undo a cancellation at the period end, charging nothing now; return the event that says so."""
        raise NotImplementedError

    def change_amount(self, plan, amount_pence):
        raise NotImplementedError

    def change_frequency(self, plan, frequency, amount_pence):
        """Arrange the new frequency and amount from the end of the paid period; return the
        provider's id for that arrangement (kept to release it if the member cancels first)."""
        return ""

    def release_change(self, plan):
        """Drop an arranged change of frequency, leaving the subscription as it runs now."""

    def card_update_url(self, plan, return_url):
        """A page of the provider's that can change this plan's card and do nothing else."""
        return None

    def manage_url(self, plan, return_url):
        """Where the supporter changes their card, if the provider hosts such a page."""
        return None
