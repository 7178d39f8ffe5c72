"""Dates in the newsroom's lists as people say them ("in 2 hours", "yesterday 16:40"), with the
exact moment a hover away in a <time> element, for lists scanned for what is new or due."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

NEAR = timedelta(hours=3)  # closer than this, the distance reads better than the clock


def _count(number, unit):
    return f"{number} {unit}" + ("" if number == 1 else "s")


def describe(value, now):
    """Words for a moment seen from `now`, both aware; the calendar day is the local one."""
    distance = abs(value - now)
    later = value > now
    if distance < timedelta(minutes=1):
        return "just now"
    if distance < NEAR:
        minutes = int(distance.total_seconds() // 60)
        span = _count(minutes, "minute") if minutes < 60 else _count(minutes // 60, "hour")
        return f"in {span}" if later else f"{span} ago"
    local, today = timezone.localtime(value), timezone.localtime(now).date()
    clock = f"{local:%H:%M}"
    days = (local.date() - today).days
    if days in NAMED_DAYS:
        return f"{NAMED_DAYS[days]} {clock}"
    if local.year == today.year:
        return f"{local:%a %-d %b}, {clock}"
    return f"{local:%-d %b %Y}"


NAMED_DAYS = {-1: "yesterday", 0: "today", 1: "tomorrow"}


def exact(value):
    """The full moment, for the title: "Friday 4 December 2026, 16:40 GMT"."""
    local = timezone.localtime(value)
    return f"{local:%A %-d %B %Y, %H:%M %Z}"


def time_tag(value, now=None, empty="—"):
    if value is None:
        return empty
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        exact(value),
        describe(value, now or timezone.now()),
    )


def when_column(field, description):
    """A list column showing a model's datetime `field` in words, sortable by that field:
    `received = when_column("created_at", "Received")` in a ModelAdmin, then "received" in
    its list_display."""

    @admin.display(description=description, ordering=field)
    def column(model_admin, obj):
        return time_tag(getattr(obj, field))

    return column
