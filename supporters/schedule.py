"""When appeals and ads start or stop by the clock: cached pages must change then."""

from django.db.models import Min, Q
from django.utils import timezone

from .models import CallToAction, HouseAd


def next_change(now=None):
    now = now or timezone.now()
    moments = []
    for model in (CallToAction, HouseAd):
        found = model.objects.filter(enabled=True).aggregate(
            start=Min("active_from", filter=models_after("active_from", now)),
            end=Min("active_until", filter=models_after("active_until", now)),
        )
        moments += [found["start"], found["end"]]
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


def models_after(field, now):
    return Q(**{f"{field}__gt": now})
