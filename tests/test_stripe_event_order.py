"""Cancel, resume and cancel again at Stripe's own pages, with the webhooks arriving in every order:
the plan ends in the state of the newest event, and the member hears about each change once."""

import itertools
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from supporters.models import Plan
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures
from tests.stripe_webhook_helpers import deliver, make_event
from tests.test_stripe import paid_member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("stripe_settings")]

# What the member did at Stripe, one second apart: cancel, take it back, cancel again.
MOVES = [True, False, True]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(MOVES)))))
def test_webhooks_in_any_order_leave_the_newest_state(client, fake_stripe, settings, order):
    plan = paid_member(client, fake_stripe, settings)
    subscription = fake_stripe.subscriptions[plan.provider_subscription_id]
    start = int(time.time()) + 10
    events = [
        make_event(
            "customer.subscription.updated",
            subscription,
            created=start + n,
            cancel_at_period_end=ending,
            cancel_at=subscription["items"]["data"][0]["current_period_end"] if ending else None,
        )
        for n, ending in enumerate(MOVES)
    ]
    mail.outbox.clear()
    for n in order:
        assert deliver(Client(), events[n], settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    plan.refresh_from_db()
    assert plan.cancel_at_period_end and plan.status == Plan.Status.ACTIVE  # the newest says ending

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    cancelled = [m for m in mail.outbox if m.subject.startswith("Your gift is cancelled")]
    assert len(cancelled) <= 2  # at most once per cancellation, and at least the one that holds
    assert cancelled
