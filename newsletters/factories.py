"""Builders shared by the tests and the demo data, so the two cannot drift."""

from datetime import time

from .models import Newsletter


def make_newsletter(name="The Daily Canary", slug="daily", **fields):
    defaults = {
        "description": "The day's stories from the co-op's newsroom, every morning.",
        "schedule": Newsletter.Schedule.DAILY,
        "send_time": time(7, 0),
    }
    return Newsletter.objects.create(name=name, slug=slug, **{**defaults, **fields})


def make_members_letter(name="From the members' desk", slug="members", **fields):
    return make_newsletter(
        name,
        slug,
        description="A letter for members: what your money did this month.",
        audience=Newsletter.Audience.MEMBERS,
        schedule=Newsletter.Schedule.MANUAL,
        send_time=None,
        **fields,
    )
