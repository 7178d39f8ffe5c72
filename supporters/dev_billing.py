"""The development provider's billing: plans renew at their period end, as Stripe's would.

Stripe renews a subscription by itself and tells us by webhook; the development provider has no
servers, so the clock plays its part. Each minute, every running "dev" plan whose paid period has
run out is renewed through the same events a Stripe renewal sends (supporters/events.py): a
frequency change arranged on the account page is taken up then, an ending plan ends. It does
nothing unless PAYMENT_PROVIDER is "dev".
"""

from django.conf import settings

from core.clock import every

from .models import Plan
from .payments.dev import DevProvider
from .services.events import apply_event

# A development machine left off for months catches up a few renewals a minute, not all at once.
BATCH = 50


def due(now):
    return Plan.objects.filter(
        provider=DevProvider.name, status=Plan.Status.ACTIVE, current_period_end__lte=now
    ).order_by("current_period_end")


def renew_due(now):
    """Renew (or end) each plan due at `now`, one period each; returns how many moved."""
    provider = DevProvider()
    moved = 0
    for plan in due(now)[:BATCH]:
        outcomes = [apply_event(event) for event in provider.renewal(plan)]
        moved += "applied" in outcomes
    return moved


@every("supporters.dev_billing", seconds=60)
def dev_billing(due_at):
    if settings.PAYMENT_PROVIDER != "dev":
        return "not the development provider"
    return f"{renew_due(due_at)} renewed or ended"
