"""Stripe, the production payment provider: Checkout Sessions, subscriptions and the customer portal.

Every call goes through one `StripeClient` pinned to STRIPE_API_VERSION (see stripe_api); the
member's changes to a running subscription are in stripe_changes.
"""

import uuid

import stripe
from django.conf import settings
from django.utils import timezone

from ..exceptions import ProviderError
from .base import PaymentEvent, PaymentProvider
from .stripe_api import (
    FREQUENCIES,
    INTERVALS,
    METADATA_KEY,
    PAID_STATUSES,
    STRIPE_API_VERSION,
    UNREACHABLE,
    call,
    digits,
    donation_id_from,
    logger,
    object_id,
    period_end_of,
    price_of,
)
from .stripe_changes import SubscriptionChanges

__all__ = ["STRIPE_API_VERSION", "StripeProvider"]


class StripeProvider(SubscriptionChanges, PaymentProvider):
    name = "stripe"

    # --- Checkout -------------------------------------------------------------------------------

    def start_checkout(self, donation, plan, *, success_url, cancel_url):
        if not settings.STRIPE_PRODUCT_ID:
            logger.error("STRIPE_PRODUCT_ID is not set: Stripe payments cannot start")
            raise ProviderError(UNREACHABLE)
        metadata = {METADATA_KEY: str(donation.pk)}
        # Amounts go as price_data on one product, so admin presets and custom amounts need no prices.
        price_data = {
            "currency": "gbp",
            "product": settings.STRIPE_PRODUCT_ID,
            "unit_amount": donation.amount_pence,
        }
        params = {
            "line_items": [{"price_data": price_data, "quantity": 1}],
            # Never `customer`: an address typed by anyone must not open a stored customer's cards.
            "customer_email": donation.supporter.email,
            "client_reference_id": str(donation.pk),
            "metadata": metadata,
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        if plan is None:
            params.update(mode="payment", submit_type="donate", payment_intent_data={"metadata": metadata})
        else:
            price_data["recurring"] = {"interval": INTERVALS[plan.frequency]}
            # Copied by Stripe onto every invoice (parent.subscription_details.metadata).
            params.update(mode="subscription", subscription_data={"metadata": metadata})
        session = call("create a checkout session", lambda c: c.v1.checkout.sessions.create(params))
        if not session.get("url"):
            logger.error("Stripe returned checkout session %s without a URL", session.get("id"))
            raise ProviderError(UNREACHABLE)
        donation.provider_checkout_id = session["id"]
        donation.save(update_fields=["provider_checkout_id"])
        return session["url"]

    def sync_checkout(self, donation):
        """Ask Stripe directly, for a reader who is back before the webhook; [] when it cannot say."""
        if not donation.provider_checkout_id:
            return []
        try:
            session = call(
                "read a checkout session",
                lambda c: c.v1.checkout.sessions.retrieve(
                    donation.provider_checkout_id, {"expand": ["subscription"]}
                ),
            )
        except ProviderError:
            return []  # the thanks page keeps refreshing and the webhook will tell us
        if session.get("status") != "complete":
            return []
        paid = session.get("payment_status") in PAID_STATUSES
        # A fixed id: this answer is applied at most once, and the webhook's own event (another
        # id) is harmless after it because marking a paid donation paid changes nothing.
        return [
            self.checkout_event(
                session,
                event_id=f"sync:{session['id']}:{'paid' if paid else 'processing'}",
                type="checkout.session.sync",
                kind="checkout_paid" if paid else "checkout_processing",
                occurred_at=timezone.now(),
            )
        ]

    def checkout_event(self, session, *, event_id, type, kind, occurred_at):
        subscription = session.get("subscription")
        subscription_id = object_id(subscription)
        period_end = None
        if kind == "checkout_paid" and subscription_id:
            if not isinstance(subscription, dict):
                # The session names the subscription only; its period end is on the subscription.
                subscription = self.subscription(subscription_id)
            period_end = period_end_of(subscription)
        recurring = session.get("mode") == "subscription"
        return PaymentEvent(
            provider=self.name,
            event_id=event_id,
            type=type,
            kind=kind,
            occurred_at=occurred_at,
            checkout_id=session["id"],
            # A one-off is its payment intent (what charge.refunded names); a plan's first payment
            # is its first invoice (what invoice.paid names).
            payment_id=object_id(session.get("invoice") if recurring else session.get("payment_intent")),
            subscription_id=subscription_id,
            customer_id=object_id(session.get("customer")),
            donation_id=donation_id_from(session.get("metadata"))
            or digits(session.get("client_reference_id")),
            amount_pence=session.get("amount_total"),
            period_end=period_end,
        )

    # --- Subscriptions --------------------------------------------------------------------------

    def subscription(self, subscription_id):
        return call("read a subscription", lambda c: c.v1.subscriptions.retrieve(subscription_id))

    def subscription_event(self, subscription, *, event_id, type, kind, occurred_at):
        return PaymentEvent(
            provider=self.name,
            event_id=event_id,
            type=type,
            kind=kind,
            occurred_at=occurred_at,
            subscription_id=subscription["id"],
            customer_id=object_id(subscription.get("customer")),
            donation_id=donation_id_from(subscription.get("metadata")),
            subscription_status=subscription.get("status"),
            # Cancelling at the period end sets both; a date chosen in the portal sets cancel_at only.
            cancel_at_period_end=bool(
                subscription.get("cancel_at_period_end") or subscription.get("cancel_at")
            ),
            period_end=period_end_of(subscription),
            amount_pence=price_of(subscription).get("unit_amount"),
            frequency=FREQUENCIES.get((price_of(subscription).get("recurring") or {}).get("interval")),
        )

    def cancel_plan(self, plan, immediately=False):
        subscription_id = plan.provider_subscription_id
        if not subscription_id:
            logger.error("Plan %s has no Stripe subscription to cancel", plan.pk)
            raise ProviderError(UNREACHABLE)
        if immediately:
            subscription = self._cancel_now(subscription_id)
        else:
            subscription = call(
                "cancel a subscription at the period end",
                lambda c: c.v1.subscriptions.update(subscription_id, {"cancel_at_period_end": True}),
            )
        return self.subscription_event(
            subscription,
            # Stripe's own customer.subscription.* event follows with another id; applying both is
            # harmless, and ours makes the account page right at once.
            event_id=f"api:{subscription_id}:{uuid.uuid4().hex}",
            type="api.subscription.cancel" if immediately else "api.subscription.update",
            kind="subscription_cancelled" if immediately else "subscription_updated",
            occurred_at=timezone.now(),
        )

    def resume_plan(self, plan):
        subscription_id = plan.provider_subscription_id
        if not subscription_id:
            logger.error("Plan %s has no Stripe subscription to resume", plan.pk)
            raise ProviderError(UNREACHABLE)
        # Undoing cancel_at_period_end keeps the billing date and charges nothing now.
        subscription = call(
            "resume a subscription",
            lambda c: c.v1.subscriptions.update(subscription_id, {"cancel_at_period_end": False}),
        )
        return self.subscription_event(
            subscription,
            event_id=f"api:{subscription_id}:{uuid.uuid4().hex}",
            type="api.subscription.update",
            kind="subscription_updated",
            occurred_at=timezone.now(),
        )

    def _cancel_now(self, subscription_id):
        try:
            return call("cancel a subscription", lambda c: c.v1.subscriptions.cancel(subscription_id))
        except ProviderError as error:
            # Cancelling twice is refused; an already cancelled subscription is what we wanted.
            if not isinstance(error.__cause__, stripe.InvalidRequestError):
                raise
            subscription = self.subscription(subscription_id)
            if subscription.get("status") not in ("canceled", "incomplete_expired"):
                raise
            return subscription

    # --- Payments -------------------------------------------------------------------------------

    def invoice_for_payment_intent(self, payment_intent_id):
        """The invoice a plan's payment intent paid: refunds name the payment intent, our rows the invoice."""
        found = call(
            "find an invoice payment",
            lambda c: c.v1.invoice_payments.list(
                {"payment": {"type": "payment_intent", "payment_intent": payment_intent_id}, "limit": 1}
            ),
        )
        for payment in found.get("data") or []:
            return object_id(payment.get("invoice"))
        return None
