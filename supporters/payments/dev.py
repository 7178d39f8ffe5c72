"""The development provider: a local checkout page in test mode, no accounts, no internet.

It never runs in production by accident: with DEBUG off its pages answer 404 unless
PAYMENT_PROVIDER=dev is set on purpose.
"""

import uuid
from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .base import PaymentEvent, PaymentProvider

SALT = "canary.supporters.dev-checkout"
CARD_SALT = "canary.supporters.dev-card"


def period_after(moment, frequency):
    return moment + (timedelta(days=365) if frequency == "annual" else timedelta(days=30))


class DevProvider(PaymentProvider):
    name = "dev"

    def start_checkout(self, donation, plan, *, success_url, cancel_url):
        donation.provider_checkout_id = f"dev_cs_{uuid.uuid4().hex}"
        donation.save(update_fields=["provider_checkout_id"])
        token = signing.dumps(
            {"checkout": donation.provider_checkout_id, "success": success_url, "cancel": cancel_url},
            salt=SALT,
        )
        return reverse("supporters:dev-checkout", args=[token])

    @staticmethod
    def read_token(token):
        return signing.loads(token, salt=SALT, max_age=24 * 3600)

    def pay(self, donation):
        now = timezone.now()
        recurring = donation.plan_id is not None
        return PaymentEvent(
            provider=self.name,
            event_id=f"dev_evt_{uuid.uuid4().hex}",
            type="dev.checkout.paid",
            kind="checkout_paid",
            occurred_at=now,
            checkout_id=donation.provider_checkout_id,
            payment_id=f"dev_{'in' if recurring else 'pi'}_{uuid.uuid4().hex[:16]}",
            subscription_id=f"dev_sub_{uuid.uuid4().hex[:16]}" if recurring else None,
            customer_id=f"dev_cus_{donation.supporter_id}",
            donation_id=donation.pk,
            amount_pence=donation.amount_pence,
            period_end=period_after(now, donation.frequency) if recurring else None,
        )

    def decline(self, donation):
        return PaymentEvent(
            provider=self.name,
            event_id=f"dev_evt_{uuid.uuid4().hex}",
            type="dev.checkout.declined",
            kind="checkout_expired",
            occurred_at=timezone.now(),
            checkout_id=donation.provider_checkout_id,
            donation_id=donation.pk,
        )

    def cancel_plan(self, plan, immediately=False):
        return PaymentEvent(
            provider=self.name,
            event_id=f"dev_evt_{uuid.uuid4().hex}",
            type="dev.subscription.cancel",
            kind="subscription_cancelled" if immediately else "subscription_updated",
            occurred_at=timezone.now(),
            subscription_id=plan.provider_subscription_id,
            subscription_status="canceled" if immediately else "active",
            cancel_at_period_end=not immediately,
            period_end=plan.current_period_end,
        )

    def resume_plan(self, plan):
        return PaymentEvent(
            provider=self.name,
            event_id=f"dev_evt_{uuid.uuid4().hex}",
            type="dev.subscription.resume",
            kind="subscription_updated",
            occurred_at=timezone.now(),
            subscription_id=plan.provider_subscription_id,
            subscription_status="active",
            cancel_at_period_end=False,
            period_end=plan.current_period_end,
        )

    def change_amount(self, plan, amount_pence):
        return None

    def change_frequency(self, plan, frequency, amount_pence):
        """Like Stripe's subscription schedule: the plan's next_frequency is this provider's memory
        of it, taken up by `renewal` at the period end; the id lets a cancellation release it."""
        return f"dev_sched_{uuid.uuid4().hex[:16]}"

    def renewal(self, plan):
        """What the provider says when a plan's paid period runs out, as Stripe says it.

        An ending plan is deleted; a running one moves to its next period, at the new frequency
        and amount if a change was arranged, then the renewal is paid. The ids are derived from
        the plan and the period, so the same renewal told twice is applied once.
        """
        ended_at = plan.current_period_end
        stamp = f"{plan.pk}_{int(ended_at.timestamp())}"
        base = {
            "provider": self.name,
            "occurred_at": ended_at,
            "subscription_id": plan.provider_subscription_id,
        }
        if plan.cancel_at_period_end:
            return [
                PaymentEvent(
                    **base, event_id=f"dev_evt_end_{stamp}", type="dev.subscription.deleted",
                    kind="subscription_cancelled", subscription_status="canceled",
                )
            ]  # fmt: skip
        frequency, amount = plan.frequency, plan.amount_pence
        if plan.next_frequency and plan.provider_schedule_id:
            frequency, amount = plan.next_frequency, plan.next_amount_pence or amount
        period_end = period_after(ended_at, frequency)
        return [
            PaymentEvent(
                **base, event_id=f"dev_evt_next_{stamp}", type="dev.subscription.updated",
                kind="subscription_updated", subscription_status="active", cancel_at_period_end=False,
                period_end=period_end, frequency=frequency, amount_pence=amount,
            ),
            PaymentEvent(
                **base, event_id=f"dev_evt_paid_{stamp}", type="dev.invoice.paid", kind="invoice_paid",
                payment_id=f"dev_in_{stamp}", amount_pence=amount, period_end=period_end,
            ),
        ]  # fmt: skip

    def card_update_url(self, plan, return_url):
        token = signing.dumps({"plan": plan.pk, "return": return_url}, salt=CARD_SALT)
        return reverse("supporters:dev-card", args=[token])

    def manage_url(self, plan, return_url):
        """The account page's "Change card": the same test card form the failed-payment link opens."""
        return self.card_update_url(plan, return_url)

    @staticmethod
    def read_card_token(token):
        return signing.loads(token, salt=CARD_SALT, max_age=3600)

    def card_saved(self, plan):
        """The new test card works: the overdue renewal is taken, as the provider's retry would."""
        now = timezone.now()
        return PaymentEvent(
            provider=self.name,
            event_id=f"dev_evt_{uuid.uuid4().hex}",
            type="dev.invoice.paid",
            kind="invoice_paid",
            occurred_at=now,
            subscription_id=plan.provider_subscription_id,
            payment_id=f"dev_in_{uuid.uuid4().hex[:16]}",
            amount_pence=plan.amount_pence,
            period_end=period_after(now, plan.frequency),
        )
