"""Stripe, the production payment provider: Checkout Sessions, subscriptions and the customer portal.

Every call goes through one `StripeClient` pinned to STRIPE_API_VERSION, the version that the
pinned `stripe` library speaks. Stripe's webhook endpoint must be set to the same version in the
dashboard: the payload shapes read here and in `supporters.webhooks` are that version's (an
invoice's subscription under parent.subscription_details, period ends on subscription items).
"""

import functools
import logging
import uuid
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..exceptions import ProviderError
from .base import PaymentEvent, PaymentProvider

logger = logging.getLogger("canary.supporters")

# The API version of stripe==16.1.0 (stripe.api_version); change both together.
STRIPE_API_VERSION = "2026-10-28.endive"
METADATA_KEY = "canary_donation"
INTERVALS = {"monthly": "month", "annual": "year"}
FREQUENCIES = {interval: frequency for frequency, interval in INTERVALS.items()}
PAID_STATUSES = {"paid", "no_payment_required"}
# Seconds to connect and to read: a reader waits on these at checkout, so fail fast and say so.
TIMEOUT = (3, 10)
NETWORK_RETRIES = 2
# ProviderError's text may reach the reader (the account page shows it): the detail goes to the log.
# The portal configuration for card updates only, recognised by this metadata value.
CARD_ONLY = "card-update-only"
CARD_ONLY_CACHE_KEY = "supporters:stripe-card-only-configuration"
UNREACHABLE = "We couldn’t reach our payment provider. Nothing changed; please try again shortly."


def from_timestamp(value):
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def object_id(value):
    """An expandable field's id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, dict):
        return value.get("id")
    return value or None


def donation_id_from(metadata):
    value = str((metadata or {}).get(METADATA_KEY, ""))
    return int(value) if value.isdigit() else None


def price_of(subscription):
    items = (subscription.get("items") or {}).get("data") or []
    return (items[0].get("price") or {}) if len(items) == 1 else {}


def period_end_of(subscription):
    """In this API version the billing period lives on each subscription item, not the subscription."""
    items = (subscription.get("items") or {}).get("data") or []
    ends = [item["current_period_end"] for item in items if item.get("current_period_end")]
    return from_timestamp(max(ends)) if ends else None


def client():
    if not settings.STRIPE_SECRET_KEY:
        logger.error("STRIPE_SECRET_KEY is not set: Stripe payments cannot start")
        raise ProviderError(UNREACHABLE)
    # STRIPE_API_BASE is not a documented setting: tests point the client at a local fake of the API.
    return _client(settings.STRIPE_SECRET_KEY, getattr(settings, "STRIPE_API_BASE", None))


@functools.lru_cache(maxsize=4)
def _client(secret_key, api_base):
    # One client per key, shared by threads (its HTTP sessions are per thread), so connections are reused.
    return stripe.StripeClient(
        secret_key,
        stripe_version=STRIPE_API_VERSION,
        max_network_retries=NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
        base_addresses={"api": api_base} if api_base else None,
    )


def call(action, request):
    """Run one API request; any Stripe failure becomes a ProviderError (the caller says so kindly)."""
    try:
        return request(client()).to_dict()
    except stripe.StripeError as error:
        logger.warning(
            "Stripe refused or could not be reached to %s: %s (status %s, request %s)",
            action,
            type(error).__name__,
            error.http_status,
            error.request_id,
        )
        raise ProviderError(UNREACHABLE) from error


class StripeProvider(PaymentProvider):
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
            or _digits(session.get("client_reference_id")),
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

    def change_amount(self, plan, amount_pence):
        if not plan.provider_subscription_id or not settings.STRIPE_PRODUCT_ID:
            logger.error("Plan %s cannot change its amount: no subscription or no STRIPE_PRODUCT_ID", plan.pk)
            raise ProviderError(UNREACHABLE)
        subscription = self.subscription(plan.provider_subscription_id)
        items = (subscription.get("items") or {}).get("data") or []
        if len(items) != 1:
            logger.error(
                "Subscription %s has %d items; Canary makes exactly one",
                plan.provider_subscription_id,
                len(items),
            )
            raise ProviderError(UNREACHABLE)
        params = {
            "price_data": {
                "currency": "gbp",
                "product": settings.STRIPE_PRODUCT_ID,
                "unit_amount": amount_pence,
                "recurring": {"interval": INTERVALS[plan.frequency]},
            },
            # The new amount starts with the next payment; nothing is charged or credited now.
            "proration_behavior": "none",
        }
        call(
            "change a subscription's amount", lambda c: c.v1.subscription_items.update(items[0]["id"], params)
        )

    def manage_url(self, plan, return_url):
        """Stripe's customer portal, where the supporter changes their card."""
        if not plan.provider_customer_id:
            return None
        session = call(
            "open the customer portal",
            lambda c: c.v1.billing_portal.sessions.create(
                {"customer": plan.provider_customer_id, "return_url": return_url}
            ),
        )
        return session["url"]

    def change_frequency(self, plan, frequency, amount_pence):
        """Through a subscription schedule: the current period runs out at today's price, and the
        next begins at the new one. Changing the interval on the subscription itself would charge
        at once and move the billing date."""
        if not plan.provider_subscription_id or not settings.STRIPE_PRODUCT_ID:
            logger.error("Plan %s cannot change frequency: no subscription or no STRIPE_PRODUCT_ID", plan.pk)
            raise ProviderError(UNREACHABLE)
        subscription = self.subscription(plan.provider_subscription_id)
        (item,) = subscription["items"]["data"]
        if plan.provider_schedule_id:
            schedule = call(
                "read a change of frequency",
                lambda c: c.v1.subscription_schedules.retrieve(plan.provider_schedule_id),
            )
        else:
            schedule = call(
                "schedule a change of frequency",
                lambda c: c.v1.subscription_schedules.create(
                    {"from_subscription": plan.provider_subscription_id}
                ),
            )
        schedule_id = schedule["id"]
        # Stripe wants the phase under way restated as it began; then ours from the period end.
        began = (schedule.get("phases") or [{}])[0].get("start_date") or item["current_period_start"]
        phases = [
            {
                "items": [{"price": item["price"]["id"], "quantity": 1}],
                "start_date": began,
                "end_date": item["current_period_end"],
            },
            {
                "items": [
                    {
                        "price_data": {
                            "currency": "gbp",
                            "product": settings.STRIPE_PRODUCT_ID,
                            "unit_amount": amount_pence,
                            "recurring": {"interval": INTERVALS[frequency]},
                        },
                        "quantity": 1,
                    }
                ],
                "proration_behavior": "none",
            },
        ]
        call(
            "schedule a change of frequency",
            lambda c: c.v1.subscription_schedules.update(
                schedule_id, {"phases": phases, "end_behavior": "release", "proration_behavior": "none"}
            ),
        )
        return schedule_id

    def release_change(self, plan):
        if plan.provider_schedule_id:
            call(
                "drop a change of frequency",
                lambda c: c.v1.subscription_schedules.release(plan.provider_schedule_id),
            )

    def card_update_url(self, plan, return_url):
        """Stripe's portal opened on the card form, under a configuration that can do nothing else.

        The session is made when the supporter presses the button, never ahead (Stripe's portal
        sessions expire within minutes); the flow returns them to us once the card is saved.
        """
        if not plan.provider_customer_id:
            return None
        configuration = self.card_only_configuration()
        session = call(
            "open the card update page",
            lambda c: c.v1.billing_portal.sessions.create(
                {
                    "customer": plan.provider_customer_id,
                    "configuration": configuration,
                    "return_url": return_url,
                    "flow_data": {
                        "type": "payment_method_update",
                        "after_completion": {"type": "redirect", "redirect": {"return_url": return_url}},
                    },
                }
            ),
        )
        return session["url"]

    def card_only_configuration(self):
        """The id of a portal configuration with every feature off but the card form.

        Found by its metadata, or made once; the id is kept in the shared cache, so every app
        server uses the same one and a lost cache only costs a lookup.
        """
        found = cache.get(CARD_ONLY_CACHE_KEY)
        if found:
            return found
        listed = call(
            "find the card update configuration",
            lambda c: c.v1.billing_portal.configurations.list({"active": True, "limit": 100}),
        )
        for configuration in listed.get("data") or []:
            if (configuration.get("metadata") or {}).get("canary") == CARD_ONLY:
                found = configuration["id"]
                break
        else:
            found = call(
                "create the card update configuration",
                lambda c: c.v1.billing_portal.configurations.create(
                    {
                        "business_profile": {"headline": f"{settings.SITE_NAME}: update your card"},
                        "features": {
                            "payment_method_update": {"enabled": True},
                            "invoice_history": {"enabled": True},
                            "customer_update": {"enabled": False},
                            "subscription_cancel": {"enabled": False},
                            "subscription_update": {"enabled": False},
                        },
                        "metadata": {"canary": CARD_ONLY},
                    }
                ),
            )["id"]
        cache.set(CARD_ONLY_CACHE_KEY, found, 24 * 3600)
        return found

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


def _digits(value):
    value = str(value or "")
    return int(value) if value.isdigit() else None
