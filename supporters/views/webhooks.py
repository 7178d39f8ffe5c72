"""Stripe's events: verified by signature, turned into PaymentEvents and applied exactly once.

Stripe retries an event until it gets a 2xx, for days. So: a forged or stale request answers
400 and changes nothing; an event we cannot apply yet (the first invoice before its checkout)
answers 500 and comes back; a duplicate is stopped by events.apply_event, which stores the
event id under a unique constraint in the same transaction as its effect.
"""

import logging

import stripe
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import Donation
from ..payments import PaymentEvent
from ..payments.stripe import StripeProvider
from ..payments.stripe_api import (
    PAID_STATUSES,
    STRIPE_API_VERSION,
    donation_id_from,
    from_timestamp,
    object_id,
)
from ..services import events

logger = logging.getLogger("canary.supporters")

MAX_BODY_BYTES = 256 * 1024  # Stripe's events are a few KB; anything this big is not one of them
TOLERANCE_SECONDS = 300  # a signed request older than this is a replay, not a delivery


def text(status, body):
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt  # the signature, not a cookie, proves who sent it
@require_POST
def stripe_webhook(request):
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.error("STRIPE_WEBHOOK_SECRET is not set: Stripe's events are refused until it is")
        return text(500, "Webhook not configured.")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return text(413, "Too large.")
    payload = request.read(MAX_BODY_BYTES + 1)
    if len(payload) > MAX_BODY_BYTES:
        return text(413, "Too large.")
    try:
        # Verified against the raw bytes before anything in them is believed.
        verified = stripe.Webhook.construct_event(
            payload, request.headers.get("Stripe-Signature"), secret, tolerance=TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError:
        logger.warning("Stripe webhook refused: bad or stale signature")
        return text(400, "Invalid signature.")
    except (ValueError, AttributeError, TypeError):
        # Correctly signed but not a JSON object (or not UTF-8): nothing to act on.
        logger.warning("Stripe webhook refused: the body is not a JSON event")
        return text(400, "Invalid payload.")
    event = verified.to_dict()
    if not (isinstance(event.get("id"), str) and isinstance(event.get("type"), str)):
        logger.warning("Stripe webhook refused: an event without a string id and type")
        return text(400, "Invalid payload.")
    if event.get("api_version") and event["api_version"] != STRIPE_API_VERSION:
        logger.warning(
            "Stripe event %s has API version %s but Canary reads %s: set the webhook endpoint's version",
            event.get("id"),
            event["api_version"],
            STRIPE_API_VERSION,
        )
    mapper = MAPPERS.get(event.get("type"))
    if mapper is None:
        # Not recorded: an endpoint sent every event type would fill the table with noise.
        logger.info("Stripe event %s of type %s ignored", event.get("id"), event.get("type"))
        return text(200, "Ignored.")
    try:
        outcome = events.apply_event(mapper(event, event["data"]["object"]))
    except Exception:
        # Stripe retries on a 5xx; the reason stays in our log, never in the response.
        logger.exception(
            "Stripe event %s (%s) failed; Stripe will retry it", event.get("id"), event.get("type")
        )
        return text(500, "Could not process the event.")
    logger.info("Stripe event %s (%s): %s", event["id"], event["type"], outcome)
    return text(200, outcome.capitalize() + ".")


# --- From Stripe's objects to PaymentEvents, one function per event type -----------------------


def envelope(event, kind, **fields):
    """The parts every PaymentEvent takes from the event itself; its own timestamp orders it."""
    return PaymentEvent(
        provider=StripeProvider.name,
        event_id=event["id"],
        type=event["type"],
        kind=kind,
        occurred_at=from_timestamp(event["created"]),
        **fields,
    )


def checkout(event, session, kind):
    return StripeProvider().checkout_event(
        session,
        event_id=event["id"],
        type=event["type"],
        kind=kind,
        occurred_at=from_timestamp(event["created"]),
    )


def checkout_completed(event, session):
    # Delayed methods (Bacs Direct Debit) complete unpaid and stay processing until Stripe confirms.
    paid = session.get("payment_status") in PAID_STATUSES
    return checkout(event, session, "checkout_paid" if paid else "checkout_processing")


def checkout_async_succeeded(event, session):
    return checkout(event, session, "checkout_paid")


def checkout_async_failed(event, session):
    return checkout(event, session, "checkout_failed")


def checkout_expired(event, session):
    return checkout(event, session, "checkout_expired")


def subscription_details(invoice):
    return ((invoice.get("parent") or {}).get("subscription_details")) or {}


def invoice_fields(invoice):
    details = subscription_details(invoice)
    return {
        "payment_id": invoice["id"],
        "subscription_id": object_id(details.get("subscription")),
        # The subscription's metadata as it was when the invoice was made: our donation's id.
        "donation_id": donation_id_from(details.get("metadata")),
        "customer_id": object_id(invoice.get("customer")),
    }


def invoice_paid(event, invoice):
    if not subscription_details(invoice):
        return envelope(event, "ignored")  # not a plan's invoice
    if invoice.get("amount_paid") == 0:
        # The £0 invoice that opens an imported subscription's free period: nobody gave anything.
        return envelope(event, "ignored")
    lines = (invoice.get("lines") or {}).get("data") or []
    ends = [line["period"]["end"] for line in lines if (line.get("period") or {}).get("end")]
    return envelope(
        event,
        "invoice_paid",
        amount_pence=invoice.get("amount_paid"),
        # The paid-for period is on the invoice's lines; invoice.period_end is the previous period.
        period_end=from_timestamp(max(ends)) if ends else None,
        first_payment=invoice.get("billing_reason") == "subscription_create",
        **invoice_fields(invoice),
    )


def invoice_payment_failed(event, invoice):
    if not subscription_details(invoice):
        return envelope(event, "ignored")
    return envelope(event, "invoice_failed", **invoice_fields(invoice))


def subscription(event, subscription, kind):
    return StripeProvider().subscription_event(
        subscription,
        event_id=event["id"],
        type=event["type"],
        kind=kind,
        occurred_at=from_timestamp(event["created"]),
    )


def subscription_updated(event, obj):
    return subscription(event, obj, "subscription_updated")


def subscription_deleted(event, obj):
    return subscription(event, obj, "subscription_cancelled")


def charge_refunded(event, charge):
    if not charge.get("refunded"):
        return envelope(event, "ignored")  # a partial refund leaves the gift standing
    payment_id = object_id(charge.get("payment_intent"))
    if not payment_id:
        return envelope(event, "ignored")
    if not Donation.objects.filter(provider_payment_id=payment_id).exists():
        # A plan's payment is stored under its invoice; Stripe links the two by invoice payment.
        payment_id = StripeProvider().invoice_for_payment_intent(payment_id) or payment_id
    return envelope(event, "refunded", payment_id=payment_id, customer_id=object_id(charge.get("customer")))


MAPPERS = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": checkout_async_succeeded,
    "checkout.session.async_payment_failed": checkout_async_failed,
    "checkout.session.expired": checkout_expired,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "customer.subscription.updated": subscription_updated,
    "customer.subscription.deleted": subscription_deleted,
    "charge.refunded": charge_refunded,
}
