"""The daily digest builds itself from what is new, pinned stories first, goes out at its
London time once a day, and is not sent at all when nothing is new."""

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.factories import make_article
from core import clock
from core.models import Occurrence
from newsletters import digest
from newsletters.factories import make_newsletter, subscribed
from newsletters.models import Issue, Newsletter

pytestmark = pytest.mark.django_db(transaction=True)
LONDON = ZoneInfo("Europe/London")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def send_digest(*args):
    out = io.StringIO()
    call_command("send_digest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def daily():
    letter = make_newsletter()
    subscribed(letter, "reader@example.com")
    return letter


def test_the_digest_carries_what_is_new_pinned_first_and_then_only_what_came_since(smtp_server, daily):
    make_article("Old news", published_at=timezone.now() - timedelta(days=2))
    make_article("Newer story", published_at=timezone.now() - timedelta(minutes=5))
    make_article(
        "The pinned investigation",
        published_at=timezone.now() - timedelta(hours=3),
        placement="top",
        pinned_until=timezone.now() + timedelta(days=1),
    )
    assert "sending to 1 reader" in send_digest("daily")
    run_worker()
    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    assert "Old news" not in text
    assert text.index("The pinned investigation") < text.index("Newer story")
    assert (
        message["Subject"].startswith("The Daily Canary, ")
        and "The pinned investigation" in message["Subject"]
    )

    make_article("Since the last one", published_at=timezone.now())
    send_digest("daily")
    run_worker()
    text = smtp_server.messages[-1].get_body(("plain",)).get_content()
    assert "Since the last one" in text and "Newer story" not in text


def test_a_story_committed_just_after_a_digest_was_built_goes_in_the_next_one(smtp_server, daily):
    make_article("Carried this morning", published_at=timezone.now() - timedelta(hours=2))
    first = digest.send(daily)
    # Saved with a time before the digest's end, but committed (visible) only after it was built.
    make_article("Committed late", published_at=first.covers_until - timedelta(seconds=5))
    second = digest.send(daily, now=first.covers_until + timedelta(days=1))
    assert [story.article.headline for story in second.stories.all()] == ["Committed late"]


def test_the_digest_is_skipped_when_nothing_is_new_unless_forced(smtp_server, daily):
    make_article("Yesterday's story", published_at=timezone.now() - timedelta(hours=2))
    send_digest("daily")
    run_worker()
    assert len(smtp_server.messages) == 1

    assert "Nothing new" in send_digest("daily")
    run_worker()
    assert len(smtp_server.messages) == 1
    assert Issue.objects.count() == 1

    assert "sending to 1 reader" in send_digest("daily", "--force")
    run_worker()
    assert len(smtp_server.messages) == 2
    assert "Yesterday's story" in smtp_server.messages[-1].get_body(("plain",)).get_content()


def test_send_digest_names_the_letters_it_knows_when_the_slug_is_wrong(daily):
    with pytest.raises(CommandError, match="known: daily"):
        send_digest("dialy")


def at_london(day, hour, minute):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def test_the_clock_sends_each_digest_once_at_its_london_time(smtp_server, daily):
    make_article("Morning story", published_at=timezone.now() - timedelta(hours=1))
    day = (timezone.now() - timedelta(days=1)).astimezone(LONDON).date()
    clock.tick(at_london(day, 6, 59))
    assert not Issue.objects.exists()
    clock.tick(at_london(day, 7, 0))
    assert Issue.objects.filter(digest=True).count() == 1
    make_article("A later story", published_at=timezone.now())
    clock.tick(at_london(day, 7, 5))  # due again later the same day: still the one digest
    clock.tick(at_london(day, 18, 0))
    assert Issue.objects.filter(digest=True).count() == 1
    assert Occurrence.objects.filter(job="newsletters.digest").count() == 1
    run_worker()
    assert [m.recipients for m in smtp_server.messages] == [["reader@example.com"]]


def test_a_weekly_letter_is_due_only_on_its_day():
    letter = make_newsletter(
        "Weekly", "weekly", schedule=Newsletter.Schedule.WEEKLY, send_time=time(9, 0), weekday=0
    )
    monday = datetime(2026, 11, 30, 9, 30, tzinfo=LONDON)
    assert digest.due_today(letter, monday) == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
    assert digest.due_today(letter, monday + timedelta(days=1)) is None
    assert digest.send_due_digests(monday + timedelta(days=1)) == 0
