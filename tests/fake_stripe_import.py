"""The fake Stripe's customers and the subscriptions made outside Canary, for the supporter
import: customers with saved cards, subscriptions an old shop or Stripe itself runs, and the
subscriptions Canary creates on a saved card (see fake_stripe)."""

import copy
import time

from tests.fake_stripe_billing import DAY, error, fixture_event


class ImportParts:
    """Mixed into FakeStripe, whose ids, subscriptions and prices these read and change."""

    def add_customer(self, email, name="Old Supporter", card=True, default=True):
        """A customer the old shop saved at Stripe, with a card (its invoice default, or only saved)."""
        customer_id = self.new_id("cus")
        card_id = self.new_id("pm") if card else None
        self.customers[customer_id] = {
            "id": customer_id,
            "object": "customer",
            "email": email,
            "name": name,
            "created": int(time.time()) - 400 * DAY,
            "currency": "gbp",
            "deleted": None,
            "invoice_settings": {
                "custom_fields": None,
                "default_payment_method": card_id if default else None,
                "footer": None,
                "rendering_options": None,
            },
            "livemode": False,
            "metadata": {},
        }
        if card_id:
            self.payment_methods[card_id] = {
                "id": card_id,
                "object": "payment_method",
                "type": "card",
                "customer": customer_id,
                "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030},
                "created": int(time.time()) - 400 * DAY,
                "livemode": False,
            }
        return customer_id

    def add_subscription(self, customer_id, unit_amount, interval="month", status="active", metadata=None):
        """A subscription Stripe already bills (started by the old shop's Stripe add-on)."""
        now = int(time.time())
        period_end = now + (365 if interval == "year" else 30) * DAY - 5 * DAY
        return self._subscription(
            customer_id, unit_amount, interval, status, now - 60 * DAY, period_end, metadata
        )

    def _subscription(self, customer_id, unit_amount, interval, status, start, period_end, metadata):
        subscription = fixture_event("customer.subscription.updated")["data"]["object"]
        subscription_id = self.new_id("sub")
        subscription.update(
            id=subscription_id, customer=customer_id, status=status, metadata=metadata or {}, created=start,
            start_date=start, billing_cycle_anchor=period_end, cancel_at_period_end=False, cancel_at=None,
        )  # fmt: skip
        item = subscription["items"]["data"][0]
        item.update(
            id=self.new_id("si"), subscription=subscription_id, created=start,
            current_period_start=period_end - 30 * DAY, current_period_end=period_end, billed_until=period_end,
        )  # fmt: skip
        self._set_price(item, int(unit_amount), interval)
        subscription["items"]["url"] = f"/v1/subscription_items?subscription={subscription_id}"
        self.subscriptions[subscription_id] = subscription
        return subscription_id

    def _list_subscriptions(self, params):
        found = [
            s
            for s in self.subscriptions.values()
            if params.get("status", "active") in ("all", s["status"])
            and params.get("customer") in (None, s["customer"])
        ]
        found.sort(key=lambda s: s["id"])
        if params.get("starting_after"):
            found = [s for s in found if s["id"] > params["starting_after"]]
        limit = int(params.get("limit", 10))
        data = copy.deepcopy(found[:limit])
        if "data.customer" in params.get("expand", []):
            for s in data:
                s["customer"] = self.customers.get(s["customer"], s["customer"])
        return 200, {
            "object": "list",
            "data": data,
            "has_more": len(found) > limit,
            "url": "/v1/subscriptions",
        }

    def _create_subscription(self, params):
        customer = self.customers.get(params["customer"])
        if customer is None:
            return 400, error(
                "invalid_request_error", f"No such customer: '{params['customer']}'", "resource_missing"
            )
        price = params["items"][0]["price_data"]
        trial_end = int(params["trial_end"])
        subscription_id = self._subscription(
            customer["id"], price["unit_amount"], price["recurring"]["interval"], "trialing",
            int(time.time()), trial_end, params.get("metadata"),
        )  # fmt: skip
        subscription = self.subscriptions[subscription_id]
        subscription.update(trial_end=trial_end, default_payment_method=params.get("default_payment_method"))
        return 200, subscription

    def _get_customer(self, params, id):
        if id not in self.customers:
            return 404, error("invalid_request_error", f"No such customer: '{id}'", "resource_missing")
        return 200, self.customers[id]

    def _list_payment_methods(self, params):
        data = [m for m in self.payment_methods.values() if m["customer"] == params.get("customer")]
        return 200, {"object": "list", "data": data[: int(params.get("limit", 10))], "has_more": False}
