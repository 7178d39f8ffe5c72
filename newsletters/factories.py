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


def subscribed(newsletter, email, status="subscribed", **fields):
    """A subscriber with a subscription to the newsletter (subscribed unless told otherwise)."""
    from .models import Subscriber, Subscription

    subscriber, _ = Subscriber.objects.get_or_create(email=email.lower(), defaults=fields)
    Subscription.objects.update_or_create(
        subscriber=subscriber, newsletter=newsletter, defaults={"status": status, "source": "test"}
    )
    return subscriber


def make_issue(newsletter, subject="This week at the co-op", articles=(), **fields):
    """A draft issue of the newsletter carrying these articles as its stories, in order."""
    from .models import Issue, Story

    fields.setdefault("introduction", "Good morning.\n\nHere is what the newsroom found this week.")
    issue = Issue.objects.create(newsletter=newsletter, subject=subject, **fields)
    Story.objects.bulk_create([Story.from_article(issue, article, n) for n, article in enumerate(articles)])
    return issue
