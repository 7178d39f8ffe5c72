"""`make run`'s demo has the daily digest and a members' letter, a few confirmed readers with
their consent on record, and one sent digest in the archive; loading it twice adds nothing."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from mailroom.models import Email
from newsletters.models import Consent, Delivery, Issue, Newsletter, Subscription
from newsletters.signup import CONFIRM_EMAIL

pytestmark = pytest.mark.django_db(transaction=True)


def seed():
    out = io.StringIO()
    call_command("seed_newsletters", stdout=out)
    return out.getvalue()


def test_the_demo_has_two_letters_confirmed_readers_and_one_sent_digest_and_loads_once(anonymous):
    call_command("seed_demo", verbosity=0)
    assert "2 newsletter(s), 5 reader(s) and 1 sent issue(s) created" in seed()
    assert "already present" in seed()

    daily, members = Newsletter.objects.get(slug="daily"), Newsletter.objects.get(slug="members")
    assert daily.public and not daily.members_only and daily.how_often() == "Every day at 07:00 (London)"
    assert members.members_only
    readers = Subscription.objects.filter(newsletter=daily)
    assert readers.count() == 5 and set(readers.values_list("status", flat=True)) == {"subscribed"}
    assert all(
        email.endswith("@readers.canary.example")
        for email in readers.values_list("subscriber__email", flat=True)
    )
    consents = Consent.objects.filter(newsletter=daily)
    assert consents.count() == 5 and not consents.filter(confirmed_at__isnull=True).exists()
    assert set(consents.values_list("endpoint", flat=True)) == {"/newsletters/sign-up/"}

    [issue] = Issue.objects.all()
    assert issue.status == Issue.Status.SENT and issue.digest and issue.recipients == 5
    assert issue.stories.count() >= 1
    assert Delivery.objects.filter(issue=issue).counts() == {
        "queued": 0,
        "sent": 5,
        "failed": 0,
        "skipped": 0,
        "bounced": 0,
    }
    assert not issue.batches.unfinished().exists()
    assert mail.outbox == []  # the demo emails nobody, now or from the outbox later
    assert not Email.objects.filter(template=CONFIRM_EMAIL).exists()

    archive = anonymous.get("/newsletters/daily/").content.decode()
    assert issue.get_absolute_url() in archive and issue.subject in archive
    page = anonymous.get(issue.get_absolute_url())
    assert page.status_code == 200 and issue.stories.first().headline in page.content.decode()
    assert issue.subject in anonymous.get("/newsletters/daily/feed/").content.decode()
    assert anonymous.get("/newsletters/members/").status_code == 404
