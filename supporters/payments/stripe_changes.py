"""The changes a member makes to a running Stripe subscription: its amount, its frequency from
the period end (through a subscription schedule), and its card (through the customer portal)."""

from django.conf import settings
from django.core.cache import cache

from ..exceptions import ProviderError
from .stripe_api import INTERVALS, UNREACHABLE, call, logger

# The portal configuration for card updates only, recognised by this metadata value.
CARD_ONLY = "card-update-only"
CARD_ONLY_CACHE_KEY = "supporters:stripe-card-only-configuration"


class SubscriptionChanges:
    """Mixed into StripeProvider, whose `subscription(id)` it reads."""

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
