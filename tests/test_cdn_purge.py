"""Purging changed pages at the CDN: abuse first (a CDN that hangs, fails forever, or rate-limits
in a storm), then the tags each change sends, coalesced, after commit, through the worker.

Only the CDN's API is faked, at its HTTP boundary (tests/fake_cdn.py, on loopback)."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.factories import make_article, make_author, make_section
from articles.models import Article, Comment, Correction
from canary import cdn_api, cdn_purge
from core.models import PendingPurge
from supporters.models import CallToAction
from tests.editorial_helpers import staff
from tests.fake_cdn import FakeCDN

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def cdn(settings):
    fake = FakeCDN()
    settings.CDN_PURGE = "cloudflare"
    settings.CLOUDFLARE_ZONE_ID = "zone-1"
    settings.CLOUDFLARE_API_TOKEN = "cf-token"
    settings.CDN_API_BASE = fake.base
    settings.CDN_PURGE_DELAY = 0
    settings.CDN_PURGE_TIMEOUT = 1
    settings.CDN_PURGE_RETRY_LIMIT = LIMIT
    settings.CDN_PURGE_FIRST_RETRY = 10
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def newsroom(cdn):
    """The section stories go in by default, made before each test: a new section purges every page."""
    make_section("News")
    PendingPurge.objects.all().delete()


def later(seconds):
    return timezone.now() + timedelta(seconds=seconds)


def queued_tags():
    return set(PendingPurge.objects.values_list("tag", flat=True))


def sent_tags(fake):
    return [tag for body in fake.json_bodies() for tag in body.get("tags", [])]


# --- Abuse: a CDN that hangs, fails, or says "slow down" -----------------------------------------


def test_a_hanging_cdn_costs_one_timeout_and_loses_no_tag(cdn):
    cdn.default = (200, {}, 3)  # answers only after the client's 1 s timeout
    article = make_article("Hung")
    assert cdn_purge.send_due(now=later(1)) == "will retry"
    assert len(cdn.requests) == 1
    rows = PendingPurge.objects.filter(tag=f"a{article.pk}")
    assert rows and {row.attempts for row in rows} == {1}
    # Not tried again before its back-off ends, then tried and purged once the CDN answers.
    assert cdn_purge.send_due(now=later(5)) == "nothing due"
    cdn.default = (200, {}, 0)
    assert cdn_purge.send_due(now=later(60)) == "purged"
    assert f"a{article.pk}" in sent_tags(cdn) and not PendingPurge.objects.exists()


def test_a_cdn_failing_forever_is_given_up_after_the_limit(cdn, caplog):
    cdn.default = (500, {}, 0)
    make_article("Story")
    outcomes = [cdn_purge.send_due(now=later(10_000 * (n + 1))) for n in range(LIMIT + 2)]
    assert outcomes == ["will retry"] * (LIMIT - 1) + ["gave up", "nothing due", "nothing due"]
    assert len(cdn.requests) == LIMIT
    assert not PendingPurge.objects.exists()
    assert "given up" in caplog.text
    # An ordinary story's purge is not worth purging everything: no purge_everything was sent.
    assert not any(body.get("purge_everything") for body in cdn.json_bodies())


def test_a_withdrawal_whose_purge_keeps_failing_purges_everything_and_logs_an_error(cdn, caplog):
    article = make_article("Libel")
    PendingPurge.objects.all().delete()
    article.withdraw("A court order", by=staff("eddie", "Editor"))
    cdn.script = [(502, {}, 0)] * LIMIT  # every purge by tag fails; purge everything works
    with caplog.at_level(logging.ERROR, logger="canary.cdn"):
        outcomes = [cdn_purge.send_due(now=later(10_000 * (n + 1))) for n in range(LIMIT)]
    assert outcomes[-1] == "purged everything"
    assert cdn.json_bodies()[-1] == {"purge_everything": True}
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and f"a{article.pk}" in errors[0].getMessage()


def test_a_withdrawal_when_even_purging_everything_fails_tells_a_person(cdn, caplog):
    article = make_article("Libel")
    article.withdraw("A court order", by=staff("eddie", "Editor"))
    cdn.default = (500, {}, 0)
    with caplog.at_level(logging.ERROR, logger="canary.cdn"):
        outcomes = [cdn_purge.send_due(now=later(10_000 * (n + 1))) for n in range(LIMIT)]
    assert outcomes[-1] == "failed"
    assert "purge the CDN by hand" in caplog.text


def test_a_429_storm_is_honoured_never_hammered(cdn):
    cdn.default = (429, {"Retry-After": "30"}, 0)
    make_article("Busy")
    start = timezone.now()
    assert cdn_purge.send_due(now=start) == "will retry"
    # Inside the 30 s it asked for, nothing is sent, however often the worker looks.
    for seconds in (1, 10, 29):
        assert cdn_purge.send_due(now=start + timedelta(seconds=seconds)) == "nothing due"
    assert len(cdn.requests) == 1
    cdn.default = (200, {}, 0)
    assert cdn_purge.send_due(now=start + timedelta(seconds=31)) == "purged"
    assert len(cdn.requests) == 2


def test_a_retry_after_of_a_day_is_read_as_an_hour(cdn):
    cdn.default = (429, {"Retry-After": "86400"}, 0)
    make_article("Busy")
    start = timezone.now()
    cdn_purge.send_due(now=start)
    latest = max(PendingPurge.objects.values_list("due_at", flat=True))
    assert latest <= start + timedelta(seconds=cdn_api.MAX_RETRY_AFTER + 1)


def test_a_cloudflare_refusal_inside_a_200_is_a_failure(cdn):
    cdn.default = (200, {}, 0)
    cdn.answer = lambda path, status: b'{"success": false, "errors": [{"code": 1134, "message": "no"}]}'
    make_article("Story")
    assert cdn_purge.send_due(now=later(1)) == "will retry"
    assert PendingPurge.objects.exists()


def test_an_api_base_that_is_not_http_is_refused(cdn, settings):
    settings.CDN_API_BASE = "file:///etc"
    make_article("Story")
    assert cdn_purge.send_due(now=later(1)) == "will retry"
    assert cdn.requests == []


def test_a_change_rolled_back_purges_nothing(cdn):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article("Never was")
        raise RuntimeError("the save failed after the article was written")
    assert not PendingPurge.objects.exists()
    assert cdn_purge.send_due(now=later(1)) == "nothing due"


def test_a_second_worker_does_not_send_tags_another_is_sending(cdn):
    make_article("Story")
    now = later(1)
    taken = cdn_purge._take(now)
    assert taken
    assert cdn_purge.send_due(now=now) == "nothing due"
    assert cdn.requests == []


# --- What a change purges ----------------------------------------------------------------------


def test_without_cdn_purge_nothing_is_queued_or_sent(settings):
    settings.CDN_PURGE = ""
    make_section("Elsewhere")
    make_article("Story")
    assert not PendingPurge.objects.exists()
    assert cdn_purge.send_due() == "disabled"


def test_publishing_purges_the_story_its_section_tags_authors_and_every_list(cdn):
    section, author = make_section("Climate"), make_author("Ada")
    draft = make_article(
        "Floods", section=section, authors=[author], tags=["Rivers"], status=Article.Status.DRAFT
    )
    PendingPurge.objects.all().delete()
    draft.publish(by=staff("eddie", "Editor"))
    tag_id = draft.tags.get().pk
    expected = {
        f"a{draft.pk}",
        f"s{section.pk}",
        f"t{tag_id}",
        f"p{author.pk}",
        "home",
        "lists",
        "feeds",
        "sitemaps",
    }
    assert queued_tags() == expected


def test_an_approved_comment_purges_its_story_and_a_pending_one_nothing(cdn):
    article = make_article("Story")
    PendingPurge.objects.all().delete()
    comment = Comment.objects.create(article=article, name="Sam", email="s@example.org", body="Hm.")
    assert not PendingPurge.objects.exists()
    comment.approve(by=staff("mo", "Moderator"))
    assert queued_tags() == {f"a{article.pk}"}


def test_a_correction_purges_its_story_and_the_feeds(cdn):
    article = make_article("Story")
    PendingPurge.objects.all().delete()
    Correction.objects.create(article=article, text="We said Tuesday; it was Wednesday.")
    assert queued_tags() == {f"a{article.pk}", "feeds"}


def test_an_appeal_starting_purges_every_page(cdn):
    CallToAction.objects.create(name="Appeal", placement="end", headline="Appeal", link="/support/")
    assert queued_tags() == {"site"}


def test_changes_a_few_seconds_apart_go_out_in_one_request_in_chunks_of_30(cdn):
    make_article("One", tags=[f"Topic {n}" for n in range(20)])
    make_article("Two", tags=[f"Subject {n}" for n in range(20)])
    assert cdn_purge.send_due(now=later(1)) == "purged"
    bodies = cdn.json_bodies()
    assert len(bodies) == 2 and all(len(body["tags"]) <= 30 for body in bodies)
    sent = sent_tags(cdn)
    assert len(sent) == len(set(sent)) == len(set(sent) | queued_tags())
    assert not PendingPurge.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_purge_after_commit(cdn):
    # Really committed: the worker closes its connections, as it does in production.
    article = make_article("Story")
    assert cdn.requests == []  # the task is queued, not run, by the change itself
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(cdn.requests) == 1
    request = cdn.requests[0]
    assert request["path"] == "/client/v4/zones/zone-1/purge_cache"
    assert request["headers"]["Authorization"] == "Bearer cf-token"
    assert f"a{article.pk}" in cdn.json_bodies()[0]["tags"]
    assert not PendingPurge.objects.exists()


def test_fastly_gets_surrogate_keys_in_a_header_and_purge_all_for_everything(cdn, settings):
    settings.CDN_PURGE = "fastly"
    settings.FASTLY_SERVICE_ID = "svc-1"
    settings.FASTLY_API_TOKEN = "fastly-token"
    article = make_article("Story")
    assert cdn_purge.send_due(now=later(1)) == "purged"
    request = cdn.requests[0]
    assert request["path"] == "/service/svc-1/purge"
    assert request["headers"]["Fastly-Key"] == "fastly-token"
    assert f"a{article.pk}" in request["headers"]["Surrogate-Key"].split(" ")
    cdn_api.purge_everything()
    assert cdn.requests[-1]["path"] == "/service/svc-1/purge_all"


def test_a_burst_too_large_for_a_few_calls_is_one_purge_of_every_page(cdn):
    cdn_purge.queue([f"a{n}" for n in range(1, 400)])
    assert cdn_purge.send_due(now=later(1)) == "purged"
    assert cdn.json_bodies() == [{"tags": ["site"]}]
    assert not PendingPurge.objects.exists()


# --- Settings: half a configuration refuses to start -------------------------------------------


@pytest.mark.parametrize(
    "env, message",
    [
        ({"CDN_PURGE": "akamai"}, "CDN_PURGE must be cloudflare, fastly or empty"),
        (
            {"CDN_PURGE": "cloudflare", "CLOUDFLARE_ZONE_ID": "z"},
            "needs CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN",
        ),
        ({"CDN_PURGE": "fastly", "FASTLY_API_TOKEN": "t"}, "needs FASTLY_SERVICE_ID and FASTLY_API_TOKEN"),
    ],
)
def test_a_half_configured_cdn_refuses_to_start(env, message):
    from tests.test_settings import manage

    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_when_the_second_call_fails_only_its_tags_are_kept(cdn):
    cdn_purge.queue([f"a{n}" for n in range(1, 41)])
    cdn.script = [(200, {}, 0), (503, {}, 0)]
    assert cdn_purge.send_due(now=later(1)) == "will retry"
    first, second = (body["tags"] for body in cdn.json_bodies())
    assert set(PendingPurge.objects.values_list("tag", flat=True)) == set(second)
    assert len(first) == 30 and len(second) == 10
