"""Stripe at its HTTP boundary: a fake REST API on 127.0.0.1 and webhooks signed as Stripe signs them.

Only the network is fake. The real `stripe` library sends its real form-encoded requests (with
its headers, API version and retries) to a small server that answers the paths Canary calls with
objects in the shapes of the pinned API version, built from the hand-written event fixtures in
tests/stripe_events/. The server records every request, so tests can check what we sent.
Signed events and a reader's way through checkout are in tests/stripe_webhook_helpers.py.
"""

import copy
import itertools
import json
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from tests.fake_stripe_billing import DAY, BillingParts, error, fixture_event
from tests.fake_stripe_import import ImportParts


def decode_form(body):
    """Stripe's form encoding (line_items[0][price_data][currency]=gbp) back into dicts and lists."""
    root = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def lists(node):
        if not isinstance(node, dict):
            return node
        if node and all(k.isdigit() for k in node):
            return [lists(node[k]) for k in sorted(node, key=int)]
        return {k: lists(v) for k, v in node.items()}

    return lists(root)


@dataclass
class Call:
    method: str
    path: str
    params: dict
    headers: dict


class FakeStripe(BillingParts, ImportParts):
    def __init__(self):
        self.calls = []
        self.sessions = {}
        self.session_params = {}
        self.subscriptions = {}
        self.portal_configurations = {}
        self.schedules = {}
        self.invoice_payments = []
        self.customers = {}
        self.payment_methods = {}
        self.idempotent = {}  # Idempotency-Key -> the answer Stripe gave the first time
        self.fail_with = None  # an HTTP status to answer every request with: Stripe is having a bad day
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = None

    # --- Running ------------------------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._answer(self, "GET")

            def do_POST(self):
                fake._answer(self, "POST")

            def do_DELETE(self):
                fake._answer(self, "DELETE")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def calls_to(self, method, path):
        return [c for c in self.calls if c.method == method and c.path == path]

    def _answer(self, handler, method):
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        params = decode_form(body if method == "POST" else split.query)
        with self._lock:
            self.calls.append(Call(method, split.path, params, dict(handler.headers)))
            if self.fail_with:
                status, answer = self.fail_with, error("api_error", "An unknown error occurred.")
            else:
                status, answer = self._route(method, split.path, params)
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_fake{next(self._ids)}")
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method, path, params):
        for verb, pattern, action in (
            ("POST", r"/v1/checkout/sessions", self._create_session),
            ("GET", r"/v1/checkout/sessions/(?P<id>[\w-]+)", self._get_session),
            ("GET", r"/v1/subscriptions/(?P<id>\w+)", self._get_subscription),
            ("POST", r"/v1/subscriptions/(?P<id>\w+)", self._update_subscription),
            ("DELETE", r"/v1/subscriptions/(?P<id>\w+)", self._cancel_subscription),
            ("POST", r"/v1/subscription_items/(?P<id>\w+)", self._update_item),
            ("POST", r"/v1/billing_portal/sessions", self._create_portal_session),
            ("GET", r"/v1/billing_portal/configurations", self._list_portal_configurations),
            ("POST", r"/v1/subscription_schedules", self._create_schedule),
            ("POST", r"/v1/subscription_schedules/(?P<id>\w+)/release", self._release_schedule),
            ("GET", r"/v1/subscription_schedules/(?P<id>\w+)", self._get_schedule),
            ("POST", r"/v1/subscription_schedules/(?P<id>\w+)", self._update_schedule),
            ("POST", r"/v1/billing_portal/configurations", self._create_portal_configuration),
            ("GET", r"/v1/invoice_payments", self._list_invoice_payments),
            ("GET", r"/v1/subscriptions", self._list_subscriptions),
            ("POST", r"/v1/subscriptions", self._create_subscription),
            ("GET", r"/v1/customers/(?P<id>\w+)", self._get_customer),
            ("GET", r"/v1/payment_methods", self._list_payment_methods),
        ):
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                key = self.calls[-1].headers.get("Idempotency-Key") if method == "POST" else None
                if key and key in self.idempotent:
                    return self.idempotent[key]  # Stripe replays the first answer to a retried key
                answer = action(params, **match.groupdict())
                if key:
                    self.idempotent[key] = answer
                return answer
        return 404, error("invalid_request_error", f"Unrecognized request URL ({method}: {path}).")

    def new_id(self, prefix):
        return f"{prefix}_fake{next(self._ids):06d}{secrets.token_hex(4)}"

    # --- Checkout Sessions --------------------------------------------------------------------

    def _create_session(self, params):
        now = int(time.time())
        price = params["line_items"][0]["price_data"]
        session = fixture_event("checkout.session.completed")["data"]["object"]
        session_id = self.new_id("cs_test")
        session.update(
            id=session_id,
            status="open",
            payment_status="unpaid",
            mode=params["mode"],
            submit_type=params.get("submit_type"),
            amount_subtotal=int(price["unit_amount"]),
            amount_total=int(price["unit_amount"]),
            currency=price["currency"],
            client_reference_id=params.get("client_reference_id"),
            customer_email=params.get("customer_email"),
            metadata=params.get("metadata", {}),
            success_url=params.get("success_url"),
            cancel_url=params.get("cancel_url"),
            created=now,
            expires_at=now + DAY,
            customer=None,
            customer_details=None,
            customer_creation="always" if params["mode"] == "subscription" else "if_required",
            invoice=None,
            payment_intent=None,
            subscription=None,
            url=f"https://checkout.stripe.com/c/pay/{session_id}#fakeStripe",
        )
        self.sessions[session_id] = session
        self.session_params[session_id] = params
        return 200, session

    def _get_session(self, params, id):
        if id not in self.sessions:
            return 404, error(
                "invalid_request_error", f"No such checkout.session: '{id}'", "resource_missing"
            )
        session = copy.deepcopy(self.sessions[id])
        if "subscription" in params.get("expand", []) and session["subscription"]:
            session["subscription"] = self.subscriptions[session["subscription"]]
        return 200, session

    def complete(self, session_id, paid=True):
        """The reader finishes Stripe's checkout: returns the session as Stripe then shows it."""
        with self._lock:
            session = self.sessions[session_id]
            params = self.session_params[session_id]
            session.update(
                status="complete",
                payment_status="paid" if paid else "unpaid",
                url=None,
                customer_details={
                    "address": {
                        "city": None,
                        "country": "GB",
                        "line1": None,
                        "line2": None,
                        "postal_code": "N1 9GU",
                        "state": None,
                    },
                    "business_name": None,
                    "email": session["customer_email"],
                    "individual_name": None,
                    "name": "Rae Reader",
                    "phone": None,
                    "tax_exempt": "none",
                    "tax_ids": [],
                },
            )
            payment_intent = self.new_id("pi")
            if session["mode"] == "payment":
                session["payment_intent"] = payment_intent
            else:
                session["customer"] = self.new_id("cus")
                invoice = self.new_id("in")
                subscription = self._new_subscription(session, params, invoice)
                session.update(subscription=subscription["id"], invoice=invoice)
                self.pay_invoice(invoice, payment_intent, session["amount_total"])
            return copy.deepcopy(session)

    def pay_invoice(self, invoice_id, payment_intent_id, amount):
        """Stripe links an invoice to the payment intent that paid it (what refunds name)."""
        self.invoice_payments.append(
            {
                "id": self.new_id("inpay"),
                "object": "invoice_payment",
                "amount_paid": amount,
                "amount_requested": amount,
                "created": int(time.time()),
                "currency": "gbp",
                "invoice": invoice_id,
                "is_default": True,
                "livemode": False,
                "payment": {"type": "payment_intent", "payment_intent": payment_intent_id},
                "status": "paid",
                "status_transitions": {"canceled_at": None, "paid_at": int(time.time())},
            }
        )

    # --- Subscriptions ------------------------------------------------------------------------

    def _new_subscription(self, session, params, invoice):
        now = int(time.time())
        price_data = params["line_items"][0]["price_data"]
        interval = price_data["recurring"]["interval"]
        period_end = now + (365 if interval == "year" else 30) * DAY
        subscription = fixture_event("customer.subscription.updated")["data"]["object"]
        subscription_id = self.new_id("sub")
        subscription.update(
            id=subscription_id,
            customer=session["customer"],
            status="active" if session["payment_status"] == "paid" else "incomplete",
            metadata=params.get("subscription_data", {}).get("metadata", {}),
            created=now,
            start_date=now,
            billing_cycle_anchor=now,
            latest_invoice=invoice,
        )
        item = subscription["items"]["data"][0]
        item.update(
            id=self.new_id("si"),
            subscription=subscription_id,
            created=now,
            current_period_start=now,
            current_period_end=period_end,
            billed_until=period_end,
        )
        self._set_price(item, int(price_data["unit_amount"]), interval)
        subscription["items"]["url"] = f"/v1/subscription_items?subscription={subscription_id}"
        self.subscriptions[subscription_id] = subscription
        return subscription

    def _set_price(self, item, unit_amount, interval):
        price_id = self.new_id("price")
        item["price"].update(id=price_id, unit_amount=unit_amount, unit_amount_decimal=str(unit_amount))
        item["price"]["recurring"]["interval"] = interval
        item["plan"].update(
            id=price_id, amount=unit_amount, amount_decimal=str(unit_amount), interval=interval
        )

    def _get_subscription(self, params, id):
        if id not in self.subscriptions:
            return 404, error("invalid_request_error", f"No such subscription: '{id}'", "resource_missing")
        return 200, self.subscriptions[id]

    def _update_subscription(self, params, id):
        if id not in self.subscriptions:
            return 404, error("invalid_request_error", f"No such subscription: '{id}'", "resource_missing")
        subscription = self.subscriptions[id]
        if "cancel_at_period_end" in params:
            cancel = params["cancel_at_period_end"] == "true"
            period_end = subscription["items"]["data"][0]["current_period_end"]
            subscription.update(cancel_at_period_end=cancel, cancel_at=period_end if cancel else None)
            subscription["canceled_at"] = int(time.time()) if cancel else None
            subscription["cancellation_details"]["reason"] = "cancellation_requested" if cancel else None
        return 200, subscription

    def _cancel_subscription(self, params, id):
        subscription = self.subscriptions.get(id)
        if subscription is None:
            return 404, error("invalid_request_error", f"No such subscription: '{id}'", "resource_missing")
        if subscription["status"] == "canceled":
            return 400, error(
                "invalid_request_error",
                "A canceled subscription can only update its cancellation_details and metadata.",
            )
        now = int(time.time())
        subscription.update(status="canceled", canceled_at=now, ended_at=now)
        subscription["cancellation_details"]["reason"] = "cancellation_requested"
        return 200, subscription

    def _update_item(self, params, id):
        for subscription in self.subscriptions.values():
            for item in subscription["items"]["data"]:
                if item["id"] == id:
                    price = params["price_data"]
                    self._set_price(item, int(price["unit_amount"]), price["recurring"]["interval"])
                    return 200, item
        return 404, error("invalid_request_error", f"No such subscription item: '{id}'", "resource_missing")


def closed_port():
    """A loopback port with nothing listening: connections to it are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(name="fake_stripe")
def fake_stripe_fixture(settings, monkeypatch):
    """Stripe's API on loopback, with the library pointed at it; retries without the back-off wait."""
    fake = FakeStripe().start()
    settings.STRIPE_API_BASE = fake.url
    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0)
    monkeypatch.setattr(stripe.HTTPClient, "MAX_DELAY", 0)
    yield fake
    fake.stop()


@pytest.fixture(name="stripe_settings")
def stripe_settings_fixture(settings):
    """Stripe as the provider, with keys made up for this test run (never a real-looking key)."""
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = f"sk_test_fake{secrets.token_hex(12)}"
    settings.STRIPE_WEBHOOK_SECRET = f"whsec_fake{secrets.token_hex(16)}"
    settings.STRIPE_PRODUCT_ID = "prod_TEST"
    return settings
