"""The fake Stripe's customer portal, subscription schedules and invoice payments (see fake_stripe),
and the shapes every part of the fake shares: Stripe's error body, the event fixtures, a day."""

import json
import time
from pathlib import Path

DAY = 24 * 3600
EVENTS = Path(__file__).parent / "stripe_events"


def fixture_event(name):
    return json.loads((EVENTS / f"{name}.json").read_text())


def error(kind, message, code=None):
    return {"error": {"type": kind, "message": message, "code": code}}


class BillingParts:
    """Mixed into FakeStripe, whose ids, subscriptions and prices these read and change."""

    # --- The customer portal and invoice payments ---------------------------------------------

    def _create_portal_session(self, params):
        session_id = self.new_id("bps")
        return 200, {
            "id": session_id,
            "object": "billing_portal.session",
            "configuration": params.get("configuration") or "bpc_fakeCanaryPortal",
            "created": int(time.time()),
            "customer": params["customer"],
            "customer_account": None,
            "flow": {"type": params["flow_data"]["type"]} if params.get("flow_data") else None,
            "livemode": False,
            "locale": None,
            "on_behalf_of": None,
            "return_url": params.get("return_url"),
            "url": f"https://billing.stripe.com/p/session/test_{session_id}",
        }

    # --- Subscription schedules (a change of frequency at the period end) -----------------------

    def _create_schedule(self, params):
        subscription = self.subscriptions.get(params.get("from_subscription"))
        if subscription is None:
            return 404, error("invalid_request_error", "No such subscription", "resource_missing")
        if subscription.get("schedule"):
            message = "You cannot migrate a subscription that is already attached to a schedule."
            return 400, error("invalid_request_error", message)
        schedule_id = self.new_id("sub_sched")
        subscription["schedule"] = schedule_id
        self.schedules[schedule_id] = {
            "id": schedule_id,
            "object": "subscription_schedule",
            "subscription": subscription["id"],
            "status": "active",
            "end_behavior": "release",
            "phases": [
                {
                    "start_date": subscription["start_date"],
                    "end_date": subscription["items"]["data"][0]["current_period_end"],
                    "items": [{"price": subscription["items"]["data"][0]["price"]["id"], "quantity": 1}],
                }
            ],
        }
        return 200, self.schedules[schedule_id]

    def _get_schedule(self, params, id):
        return 200, self.schedules[id]

    def _update_schedule(self, params, id):
        schedule = self.schedules[id]
        schedule.update(phases=params["phases"], end_behavior=params.get("end_behavior", "release"))
        return 200, schedule

    def _release_schedule(self, params, id):
        schedule = self.schedules[id]
        schedule["status"] = "released"
        self.subscriptions[schedule["subscription"]]["schedule"] = None
        return 200, schedule

    def start_next_phase(self, schedule_id):
        """The paid period ran out: the subscription takes the second phase's price, as Stripe would."""
        schedule = self.schedules[schedule_id]
        subscription = self.subscriptions[schedule["subscription"]]
        price = schedule["phases"][1]["items"][0]["price_data"]
        item = subscription["items"]["data"][0]
        start = item["current_period_end"]
        interval = price["recurring"]["interval"]
        item.update(
            current_period_start=start, current_period_end=start + (365 if interval == "year" else 30) * DAY
        )
        self._set_price(item, int(price["unit_amount"]), interval)
        schedule["status"] = "released"
        subscription["schedule"] = None
        return subscription

    def _list_portal_configurations(self, params):
        data = [c for c in self.portal_configurations.values() if c["active"]]
        return 200, {
            "object": "list",
            "data": data,
            "has_more": False,
            "url": "/v1/billing_portal/configurations",
        }

    def _create_portal_configuration(self, params):
        configuration_id = self.new_id("bpc")
        features = {
            name: {"enabled": value["enabled"] == "true"} for name, value in params["features"].items()
        }
        self.portal_configurations[configuration_id] = {
            "id": configuration_id,
            "object": "billing_portal.configuration",
            "active": True,
            "features": features,
            "metadata": params.get("metadata") or {},
            "is_default": False,
            "livemode": False,
        }
        return 200, self.portal_configurations[configuration_id]

    def _list_invoice_payments(self, params):
        wanted = params.get("payment", {}).get("payment_intent")
        data = [p for p in self.invoice_payments if p["payment"]["payment_intent"] == wanted]
        return 200, {
            "object": "list",
            "data": data[: int(params.get("limit", 10))],
            "has_more": False,
            "url": "/v1/invoice_payments",
        }
