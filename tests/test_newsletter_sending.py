"""An issue goes out to the readers who asked for it, through a real SMTP server: one message
each, with their own way out, and to nobody who left, bounced or stopped being a member."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.factories import make_article, make_image
from newsletters import sending
from newsletters.exceptions import AlreadyStarted, NotPaused, NotSendable
from newsletters.factories import make_issue, make_members_letter, make_newsletter, subscribed
from newsletters.links import leave_url
from newsletters.models import Batch, Delivery, Issue, Subscription, Suppression, address_hash
from newsletters.tokens import read_leave_token, read_preferences_token
from tests.security_helpers import supporter_user

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def daily():
    return make_newsletter(reply_to="letters@example.com")


def issue_with_stories(newsletter):
    pictured = make_article(
        "Council votes to keep the library open", featured_image=make_image("Readers in the library")
    )
    plain = make_article("Bus fares rise again")
    return make_issue(
        newsletter, "Library saved; fares up", [pictured, plain], preheader="Two stories from the newsroom"
    )


def token_of(link):
    return link.rstrip("/").rsplit("/", 1)[1]


def recipients(inbox):
    return Counter(address for message in inbox.messages for address in message.recipients)


def test_each_reader_gets_one_message_with_both_parts_and_their_own_way_out(smtp_server, daily):
    readers = [subscribed(daily, f"reader{n}@example.com") for n in range(3)]
    issue = issue_with_stories(daily)
    assert sending.start(issue) == 3
    run_worker()
    assert recipients(smtp_server) == Counter({reader.email: 1 for reader in readers})
    for message in smtp_server.messages:
        reader = next(r for r in readers if r.email == message.recipients[0])
        # The reader's own links as sent (a token carries the second it was signed), proved theirs.
        leave = str(message["List-Unsubscribe"]).strip()[1:-1]
        choose = re.search(r"Choose your newsletters: (\S+)", smtp_server.parts(message)[0]).group(1)
        assert leave.startswith(leave_url(reader, daily).rsplit("/", 2)[0] + "/")
        assert read_leave_token(token_of(leave))[:2] == (reader.pk, daily.pk)
        assert read_preferences_token(token_of(choose))[0] == reader.pk
        assert message["Subject"] == "Library saved; fares up"
        assert message["To"] == reader.email
        assert message["Reply-To"] == "letters@example.com"
        # A long header is folded after its name; unfolded, the value is the link in brackets.
        assert message["List-Unsubscribe"].strip() == f"<{leave}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"] == "The Daily Canary <daily.127.0.0.1>"
        text, html = smtp_server.parts(message)
        for part in (text, html):
            assert leave in part and choose in part
            assert "urn:canary" not in part
            assert "Council votes to keep the library open" in part and "Bus fares rise again" in part
            # The stories' links go through the click-counting redirect (test_newsletter_clicks).
            assert "http://127.0.0.1:8000/newsletters/go/" in part
        assert "Two stories from the newsroom" in html
        assert re.search(
            r'<img src="http://[^"]+" alt="Readers in the library" width="544" height="\d+"', html
        )
        # Nobody else's link is in this reader's copy.
        links = re.findall(r"https?://\S+?/newsletters/(?:leave|preferences)/[^/\s\"]+/", text + html)
        assert len(links) >= 4  # leave and preferences, in each part
        for link in links:
            token = token_of(link)
            owner = (read_leave_token(token) or read_preferences_token(token) or [None])[0]
            assert owner == reader.pk
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert Delivery.objects.filter(issue=issue).counts()["sent"] == 3


def test_pending_unsubscribed_and_suppressed_addresses_are_never_sent(smtp_server, daily):
    subscribed(daily, "yes@example.com")
    subscribed(daily, "pending@example.com", status=Subscription.Status.PENDING)
    subscribed(daily, "left@example.com", status=Subscription.Status.UNSUBSCRIBED)
    subscribed(daily, "bounced@example.com")
    subscribed(daily, "left-this-one@example.com")
    Suppression.objects.create(address_hash=address_hash("bounced@example.com"), reason="bounced")
    Suppression.objects.create(
        address_hash=address_hash("left-this-one@example.com"), newsletter=daily, reason="unsubscribed"
    )
    assert sending.start(make_issue(daily)) == 1
    run_worker()
    assert recipients(smtp_server) == Counter({"yes@example.com": 1})


def test_a_reader_who_leaves_after_the_freeze_is_skipped(smtp_server, daily):
    subscribed(daily, "stays@example.com")
    leaver = subscribed(daily, "leaves@example.com")
    suppressed = subscribed(daily, "complains@example.com")
    issue = make_issue(daily)
    assert sending.start(issue) == 3
    Subscription.objects.filter(subscriber=leaver).update(status=Subscription.Status.UNSUBSCRIBED)
    Suppression.objects.create(address_hash=address_hash(suppressed.email), reason="complained")
    run_worker()
    assert recipients(smtp_server) == Counter({"stays@example.com": 1})
    assert Delivery.objects.get(subscriber=leaver).status == Delivery.Status.SKIPPED
    assert Delivery.objects.get(subscriber=suppressed).status == Delivery.Status.SKIPPED


def test_a_members_letter_goes_to_current_members_only_and_stops_when_they_stop_giving(smtp_server):
    letter = make_members_letter()
    _, member, plan = supporter_user("member@example.com")
    _, lapsing, lapsing_plan = supporter_user("lapsing@example.com")
    for address in ("member@example.com", "lapsing@example.com", "never-gave@example.com"):
        subscribed(letter, address)
    issue = make_issue(letter)
    assert sending.start(issue) == 2  # never-gave is not a member
    lapsing_plan.apply_state("cancelled", timezone.now())
    run_worker()
    assert recipients(smtp_server) == Counter({"member@example.com": 1})
    assert Delivery.objects.get(subscriber__email="lapsing@example.com").status == Delivery.Status.SKIPPED


class RefusingInbox:
    """The test server, refusing one mailbox permanently and one for now, at RCPT time."""

    def __init__(self, inbox):
        self.inbox = inbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone@"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("full@"):
            return "452 4.2.2 Mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return await self.inbox.handle_DATA(server, session, envelope)


@pytest.fixture
def refusing_server(settings):
    from aiosmtpd.controller import Controller

    from tests import mail_server

    controller, inbox = mail_server.start(settings)
    controller.stop()
    controller = Controller(RefusingInbox(inbox), hostname="127.0.0.1", port=mail_server.free_port())
    controller.start()
    settings.EMAIL_PORT = controller.port
    yield inbox
    controller.stop()


def test_a_permanent_refusal_is_a_hard_bounce_that_stops_every_newsletter(refusing_server, daily):
    other = make_newsletter("Weekly", "weekly")
    for address in ("first@example.com", "gone@example.com", "full@example.com", "last@example.com"):
        subscribed(daily, address)
        subscribed(other, address)
    issue = make_issue(daily)
    sending.start(issue)
    run_worker()
    assert recipients(refusing_server) == Counter({"first@example.com": 1, "last@example.com": 1})
    statuses = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status"))
    assert statuses["gone@example.com"] == Delivery.Status.BOUNCED
    assert statuses["full@example.com"] == Delivery.Status.FAILED  # a 4xx says nothing lasting
    assert Suppression.objects.get(address_hash=address_hash("gone@example.com")).newsletter is None
    assert not Suppression.objects.filter(address_hash=address_hash("full@example.com")).exists()
    # The next issue of any newsletter leaves the bounced address out from the start.
    assert sending.start(make_issue(other)) == 3


def test_bulk_mail_takes_its_own_route_when_newsletter_email_url_is_set(smtp_server, settings, daily):
    from aiosmtpd.controller import Controller

    from tests.mail_server import Inbox, free_port

    bulk = Inbox()
    controller = Controller(bulk, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.NEWSLETTER_EMAIL = {
            "EMAIL_BACKEND": settings.EMAIL_BACKEND,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": controller.port,
            "EMAIL_TIMEOUT": 5,
        }
        settings.NEWSLETTER_FROM_EMAIL = "Letters <letters@example.org>"
        subscribed(daily, "reader@example.com")
        sending.start(make_issue(daily))
        run_worker()
    finally:
        controller.stop()
    assert smtp_server.messages == []
    [message] = bulk.messages
    assert (
        message["From"] == "The Daily Canary <letters@example.org>"
        or message["From"] == "Letters <letters@example.org>"
    )


def test_an_issue_starts_once_and_cannot_be_cancelled_once_started(daily):
    subscribed(daily, "reader@example.com")
    issue = make_issue(daily)
    sending.start(issue)
    with pytest.raises(NotSendable):
        sending.start(Issue.objects.get(pk=issue.pk))
    with pytest.raises(AlreadyStarted):
        issue.cancel()
    with pytest.raises(NotPaused):
        issue.resume()
    assert Delivery.objects.filter(issue=issue).count() == 1


def test_a_paused_issue_sends_nothing_until_it_is_resumed(smtp_server, daily):
    for n in range(3):
        subscribed(daily, f"reader{n}@example.com")
    issue = make_issue(daily)
    sending.start(issue)
    sending.pause(issue)
    run_worker()
    assert smtp_server.messages == []
    sending.resume(issue)
    run_worker()
    assert len(smtp_server.messages) == 3
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_only_one_worker_can_hold_a_batch_until_its_lease_runs_out(daily):
    subscribed(daily, "reader@example.com")
    issue = make_issue(daily)
    sending.start(issue)
    batch = Batch.objects.get(issue=issue)
    lease = timedelta(seconds=60)
    first = Batch.take(batch.pk, lease)
    assert first and Batch.take(batch.pk, lease) is None
    later = timezone.now() + timedelta(seconds=61)
    second = Batch.take(batch.pk, lease, later)
    assert second and second != first
    # The first holder finds out at its next renewal, and can neither finish nor release it.
    assert not Batch.renew(batch.pk, first, lease)
    assert not Batch.complete(batch.pk, first)
    assert not Batch.release(batch.pk, first)
    assert Batch.renew(batch.pk, second, lease)


def test_a_batch_whose_worker_died_is_handed_on_and_finished(smtp_server, daily):
    for n in range(5):
        subscribed(daily, f"reader{n}@example.com")
    issue = make_issue(daily)
    sending.start(issue)
    batch = Batch.objects.get(issue=issue)
    # A worker took the batch (its task now marked running for good) and died.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(status="RUNNING")
    assert Batch.take(batch.pk, timedelta(seconds=30))
    assert sending.reclaim_expired_batches(timezone.now()) == 0  # its lease still holds
    run_worker()
    assert smtp_server.messages == []
    assert sending.reclaim_expired_batches(timezone.now() + timedelta(seconds=31)) == 1
    run_worker()
    assert recipients(smtp_server) == Counter({f"reader{n}@example.com": 1 for n in range(5)})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_sent_issue_of_a_public_letter_has_its_page_in_the_archive_without_its_email_only_text(
    smtp_server, daily, anonymous, django_assert_max_num_queries
):
    subscribed(daily, "reader@example.com")
    issue = issue_with_stories(daily)
    issue.email_only = "Only for our readers' inboxes."
    issue.save()
    draft = make_issue(daily, "Not out yet")
    sending.start(issue)
    run_worker()
    archive = anonymous.get(daily.get_absolute_url()).content.decode()
    assert issue.get_absolute_url() in archive and "Not out yet" not in archive
    with django_assert_max_num_queries(8):
        response = anonymous.get(issue.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200 and not response.cookies
    assert "Council votes to keep the library open" in page and 'alt="Readers in the library"' in page
    assert "Only for our readers' inboxes." not in page
    assert "/newsletters/leave/" not in page  # nobody's way out is on a public page
    assert anonymous.get(draft.get_absolute_url()).status_code == 404
    members = make_members_letter()
    members_issue = make_issue(members)
    members_issue.status = Issue.Status.SENT
    members_issue.save()
    assert anonymous.get(members_issue.get_absolute_url()).status_code == 404
    assert anonymous.get(f"/newsletters/daily/{members_issue.pk}/").status_code == 404


def test_a_mail_server_away_keeps_the_batch_and_tries_again_later(settings, daily):
    from django_tasks_db.models import DBTaskResult

    from tests.mail_server import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    subscribed(daily, "reader@example.com")
    issue = make_issue(daily)
    sending.start(issue)
    run_worker()
    batch = Batch.objects.get(issue=issue)
    assert batch.state == Batch.State.WAITING and "Connection refused" in batch.last_error
    assert Delivery.objects.get(issue=issue).status == Delivery.Status.QUEUED
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + timedelta(seconds=20)


def test_a_batch_that_loses_worker_after_worker_is_given_up_and_the_issue_closed(settings, daily):
    settings.TASK_RETRY_LIMIT = 2
    subscribed(daily, "reader@example.com")
    issue = make_issue(daily)
    sending.start(issue)
    batch = Batch.objects.get(issue=issue)
    later = timezone.now()
    for _ in range(2):  # two workers take it and die
        later += timedelta(seconds=200)
        assert Batch.take(batch.pk, timedelta(seconds=120), later)
    sending.reclaim_expired_batches(later + timedelta(seconds=200))
    assert Delivery.objects.get(issue=issue).status == Delivery.Status.FAILED
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_scheduled_issue_goes_at_its_time_and_a_cancelled_one_never(smtp_server, daily):
    from core import clock

    subscribed(daily, "reader@example.com")
    soon = timezone.now() + timedelta(minutes=10)
    scheduled, cancelled = make_issue(daily, "Scheduled"), make_issue(daily, "Cancelled")
    scheduled.schedule(soon)
    cancelled.schedule(soon)
    cancelled.cancel()
    clock.tick(timezone.now())
    assert Issue.objects.get(pk=scheduled.pk).status == Issue.Status.SCHEDULED
    clock.tick(soon + timedelta(minutes=1))
    run_worker()
    assert [message["Subject"] for message in smtp_server.messages] == ["Scheduled"]
    assert Issue.objects.get(pk=cancelled.pk).status == Issue.Status.CANCELLED
