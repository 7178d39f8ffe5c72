"""The demo's newsletters (`manage.py seed_newsletters`, run by `make run`): the daily digest
and a members' letter, a few confirmed readers with their consent records, and one digest
already sent, so the archive, its feed and the admin's figures have something to show.

Everything goes through the models' own moves (confirm, start, finish), as a real sign-up
and send would; nothing is emailed. Loading it again adds nothing.
"""

from datetime import time, timedelta

from django.db import transaction
from django.urls import reverse

from . import digest, sending, wording
from .factories import make_members_letter, make_newsletter
from .models import Batch, Consent, Delivery, Issue, Newsletter, Subscriber, Subscription

# Reserved example domains (RFC 2606): nothing sent to them reaches anyone. Each with the
# page (by its route's name) the reader signed up on.
READERS = [
    ("ada.lovelace@readers.canary.example", "Ada", "articles:home"),
    ("bert.okoro@readers.canary.example", "Bert", "newsletters:index"),
    ("chidi.mensah@readers.canary.example", "", "articles:home"),
    ("dana.whitlock@readers.canary.example", "Dana", "supporters:thanks"),
    ("eilidh.barr@readers.canary.example", "", "newsletters:index"),
]
# The demo digest went out this long before the demo was loaded.
SENT_AGO = timedelta(hours=2)


def seed(now):
    """The demo newsletters; what this run added, as {"newsletters", "readers", "issues"}."""
    added = {"newsletters": 0, "readers": 0, "issues": 0}
    with transaction.atomic():
        daily = Newsletter.objects.filter(slug="daily").first()
        if daily is None:
            daily = make_newsletter(send_time=time(7, 0), reply_to="letters@readers.canary.example")
            added["newsletters"] += 1
        if not Newsletter.objects.filter(slug="members").exists():
            make_members_letter(position=1)
            added["newsletters"] += 1
        for email, name, page in READERS:
            asked_at = now - SENT_AGO - timedelta(days=3)
            added["readers"] += confirmed_reader(daily, email, name, reverse(page), asked_at)
        if not daily.issues.sent().exists():
            added["issues"] += sent_digest(daily, now - SENT_AGO) is not None
    return added


def confirmed_reader(newsletter, email, name, page, asked_at):
    """A reader who signed up from a page and confirmed an hour later; 0 if already there."""
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    subscription, created = Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    if not created:
        return 0
    version, text = wording.current()
    consent = Consent.objects.create(
        subscription=subscription,
        newsletter=newsletter,
        asked_at=asked_at,
        endpoint=reverse("newsletters:sign-up"),
        page=page,
        wording_version=version,
        wording=text,
        typed_name=name,
    )
    confirmed_at = asked_at + timedelta(hours=1)
    subscription.confirm(confirmed_at)
    consent.confirmed_at = confirmed_at
    consent.save(update_fields=["confirmed_at"])
    if name:
        subscriber.name = name
        subscriber.save(update_fields=["name"])
    return 1


def sent_digest(newsletter, at):
    """The digest as it was built and sent at `at`: its audience frozen, every copy delivered."""
    issue = digest.build(newsletter, at, force=True)
    issue.introduction = "Good morning. Here is what the newsroom published since yesterday's letter."
    issue.save(update_fields=["introduction"])
    issue.start(at)
    count = sending.freeze(issue, at)  # no tasks: the copies were "delivered" at `at`
    Issue.objects.filter(pk=issue.pk).update(recipients=count)
    Delivery.objects.filter(issue=issue).update(status=Delivery.Status.SENT, at=at)
    Batch.objects.filter(issue=issue).update(state=Batch.State.DONE, finished_at=at, attempts=1)
    issue.finish(at)
    return issue
