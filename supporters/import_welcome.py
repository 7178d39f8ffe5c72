"""The welcome mailing to imported supporters, sent only when Finance asks for it, once each.

A supporter whose gift was linked or started at Stripe hears that it carries on as before; one
whose gift could not come over (no card at Stripe, or it had stopped) is invited to give again.
"""

from django.db import transaction
from django.utils import timezone

from mailroom.kinds import email_kind
from mailroom.services import queue_email

from .emails import frequency_words, site_link
from .forms import money
from .models import Plan, Supporter
from .models.giving import RUNNING

KIND = "supporters/imported"


def send_welcomes():
    """Queue one email per imported supporter not yet welcomed; returns how many were queued."""
    waiting = (
        Supporter.objects.filter(
            erased_at__isnull=True, plans__imported_at__isnull=False, plans__welcomed_at__isnull=True
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    count = 0
    for supporter_id in list(waiting.iterator()):
        with transaction.atomic():
            # The conditional update is the claim: two mailings at once still email each person once.
            claimed = Plan.objects.filter(
                supporter_id=supporter_id, imported_at__isnull=False, welcomed_at__isnull=True
            ).update(welcomed_at=timezone.now())
            if claimed:
                email = Supporter.objects.values_list("email", flat=True).get(pk=supporter_id)
                queue_email(email, KIND, {"supporter": supporter_id})
                count += 1
    return count


@email_kind(KIND)
def imported(params, to):
    supporter = Supporter.objects.filter(pk=params.get("supporter"), erased_at__isnull=True).first()
    if supporter is None:
        return None
    running = supporter.plans.filter(status__in=RUNNING).order_by("created_at")
    return {
        "name": supporter.name,
        "gifts": [f"{money(p.amount_pence)} {frequency_words(p.frequency)}" for p in running],
        "support_url": site_link("supporters:support"),
        "sign_in_url": site_link("supporters:sign-in"),
    }
