"""Readership counting: a beacon a view, nothing about a person, folded into hourly tallies."""

import time
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from articles.factories import make_article, make_page
from readership import counting
from readership.models import FoldedBatch, Tally
from tests import test_faults
from tests.security_helpers import signed_in, staff_user
from tests.test_faults import use_redis


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    counting.local.take()  # this process's batch is shared by every test in it
    yield
    counting.local.take()


pytestmark = pytest.mark.django_db
redis_cache, hung_redis = test_faults.redis_cache, test_faults.hung_redis  # a Redis of the test's own

BEACON = "/readership/count/"
FORM = "application/x-www-form-urlencoded"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def reader(**headers):
    return Client(**({"HTTP_USER_AGENT": BROWSER} | headers))


def beacon(client, path, **fields):
    fields = {"e": "view", "p": path} | fields
    return client.post(BEACON, urlencode(fields), content_type=FORM)  # as sendBeacon sends it


def views(article=None, **filters):
    rows = Tally.objects.filter(metric="view", **filters)
    if article is not None:
        rows = rows.filter(article=article)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def fold():
    counting.fold_counts(datetime.now(UTC))


def test_a_view_is_counted_for_its_story_and_the_answer_sets_no_cookie():
    article = make_article("Tenants win a rent freeze")
    response = beacon(reader(), article.get_absolute_url(), r="www.google.co.uk")
    assert response.status_code == 204 and response.content == b""
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert response["Cache-Control"] == "no-store"
    fold()
    tally = Tally.objects.get()
    assert (tally.article, tally.count, tally.source, tally.host) == (article, 1, "search", "google.co.uk")


def test_the_address_and_user_agent_are_kept_nowhere():
    article = make_article()
    beacon(reader(REMOTE_ADDR="198.51.100.23"), article.get_absolute_url(), r="news.example.net")
    fold()
    kept = " ".join(str(value) for value in Tally.objects.values_list().get())
    assert "198.51.100.23" not in kept and "Mozilla" not in kept


def test_bots_browsers_that_object_and_junk_get_204_and_are_not_counted():
    article = make_article()
    url = article.get_absolute_url()
    refused = [
        Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        Client(),  # no user agent at all
        reader(HTTP_USER_AGENT=BROWSER.replace("Chrome", "HeadlessChrome")),
        reader(HTTP_SEC_GPC="1"),
        reader(HTTP_DNT="1"),
    ]
    for client in refused:
        assert beacon(client, url).status_code == 204
    for junk in ({"p": "https://elsewhere.example/"}, {"e": "click"}, {"p": url + "?q=1"}, {"p": "x" * 300}):
        assert beacon(reader(), url, **junk).status_code == 204
    assert reader().get(BEACON).status_code == 204
    assert reader().post(BEACON, {"p": url}).status_code == 204  # multipart: not what the script sends
    fold()
    assert not Tally.objects.exists()


def test_a_beacon_with_a_host_we_do_not_serve_still_gets_204():
    article = make_article()
    assert beacon(reader(HTTP_HOST="evil.example"), article.get_absolute_url()).status_code == 204


def test_previews_admin_pages_and_made_up_paths_are_never_counted():
    draft = make_article("Not out yet", status="draft")
    for path in (f"/preview/{draft.pk}/", "/admin/", draft.get_absolute_url(), "/2020/01/01/no-such-story/"):
        beacon(reader(), path)
    fold()
    assert not Tally.objects.exists()


@pytest.mark.parametrize("redis", [False, True], ids=["batch", "redis"])
def test_a_client_over_the_limit_still_gets_204_but_is_not_counted(settings, redis, request, fresh_minute):
    if redis:  # the limit's count and the beacon's count in one round trip (one Redis script)
        request.getfixturevalue("on_redis")
    settings.READERSHIP_RATE_LIMIT = 3
    article = make_article()
    client = reader(REMOTE_ADDR="192.0.2.40")
    assert {beacon(client, article.get_absolute_url()).status_code for _ in range(5)} == {204}
    beacon(reader(REMOTE_ADDR="192.0.2.41"), article.get_absolute_url())  # another reader counts
    fold()
    assert views(article) == 4


def test_read_through_sources_and_appeals_are_counted_apart():
    article = make_article()
    url = article.get_absolute_url()
    beacon(reader(), url, r="t.co")
    beacon(reader(), url, r="lists.example.org", v="newsletter")
    beacon(reader(), url, r="127.0.0.1")  # our own site: direct, no host kept
    beacon(reader(), url, a="7")
    beacon(reader(), url, e="read")
    fold()
    by_source = dict(Tally.objects.filter(metric="view").values_list("source").annotate(Sum("count")))
    assert by_source == {"social": 1, "newsletter": 1, "direct": 2}
    assert views(article, appeal=7) == 1
    assert Tally.objects.get(metric="read").count == 1
    assert set(Tally.objects.values_list("host", flat=True)) == {"t.co", "lists.example.org", ""}


def test_without_redis_counts_are_written_in_batches(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.READERSHIP_BATCH_SIZE = 3
    settings.READERSHIP_BATCH_SECONDS = 3600
    article = make_article()
    for _ in range(2):
        beacon(reader(), article.get_absolute_url())
    assert not Tally.objects.exists()  # waiting for a batch worth a transaction
    beacon(reader(), article.get_absolute_url())
    assert views(article) == 3
    fold()
    assert views(article) == 3


def test_on_redis_counts_wait_in_redis_until_the_fold_and_folding_twice_counts_once(on_redis):
    article = make_article()
    for _ in range(3):
        beacon(reader(), article.get_absolute_url())
    assert not Tally.objects.exists()
    fold()
    fold()
    assert views(article) == 3
    beacon(reader(), article.get_absolute_url())
    fold()
    assert views(article) == 4 and Tally.objects.count() == 1


def test_a_fold_that_died_after_writing_is_not_counted_again(on_redis):
    article = make_article()
    beacon(reader(), article.get_absolute_url())
    beacon(reader(), article.get_absolute_url())
    # The fold's first half: claim the counts and write them with the claim's mark, then die
    # before dropping the claim.
    assert cache.hash_claim(counting.PENDING_KEY, counting.CLAIM_KEY, counting.MARK, "died-here")
    claimed = cache.hash_read(counting.CLAIM_KEY)
    claimed.pop(counting.MARK)
    counting.write_counts(
        {name: int(count) for name, count in claimed.items()}, datetime.now(UTC), token="died-here"
    )
    beacon(reader(), article.get_absolute_url())  # counted meanwhile, in a fresh hash
    fold()
    assert views(article) == 3
    assert FoldedBatch.objects.filter(token="died-here").exists()


def test_a_fold_that_died_before_writing_is_finished_by_the_next(on_redis):
    article = make_article()
    beacon(reader(), article.get_absolute_url())
    assert cache.hash_claim(counting.PENDING_KEY, counting.CLAIM_KEY, counting.MARK, "died-early")
    fold()
    assert views(article) == 1


def test_counts_survive_a_redis_restart_losing_at_most_the_unfolded_minute(redis_cache, settings):
    article = make_article()
    beacon(reader(), article.get_absolute_url())
    fold()
    beacon(reader(), article.get_absolute_url())  # not folded yet: the minute a restart may lose
    redis_cache.stop()
    response = beacon(reader(), article.get_absolute_url())  # Redis away: kept in this process
    assert response.status_code == 204
    redis_cache.start()
    use_redis(settings, redis_cache.url)
    time.sleep(settings.REDIS_RETRY_SECONDS + 0.1)
    beacon(reader(), article.get_absolute_url())
    fold()
    assert 3 <= views(article) <= 4


def test_a_hung_redis_does_not_slow_the_beacon_and_its_counts_are_kept_here(hung_redis):
    article = make_article()
    started = time.monotonic()
    for _ in range(20):
        assert beacon(reader(), article.get_absolute_url()).status_code == 204
    assert time.monotonic() - started < 3  # one timeout, then the breaker stops asking
    counting.local.flush(datetime.now(UTC))
    assert views(article) == 20


@pytest.mark.parametrize(
    ("moment", "london_day"),
    [
        (datetime(2026, 6, 30, 22, 59, tzinfo=UTC), date(2026, 6, 30)),  # 23:59 BST
        (datetime(2026, 6, 30, 23, 0, tzinfo=UTC), date(2026, 7, 1)),  # midnight BST
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), date(2026, 12, 31)),  # GMT
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_hours_fall_on_the_london_day_around_midnight(moment, london_day):
    article = make_article(published_at=datetime(2026, 1, 1, tzinfo=UTC))
    counting.record(
        [counting.field("view", counting.hour_of(moment), article.get_absolute_url(), "direct")], moment
    )
    counting.fold_counts(moment)
    tally = Tally.objects.get()
    assert tally.day == london_day and tally.hour == moment.replace(minute=0)


def test_the_hour_the_clocks_go_back_is_two_hours_of_one_london_day():
    article = make_article(published_at=datetime(2026, 1, 1, tzinfo=UTC))
    url = article.get_absolute_url()
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = first + timedelta(hours=1)  # 01:30 GMT, the same wall-clock time
    spring = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 00:30 GMT; 01:00 becomes 02:00 BST
    for moment in (first, second, second, spring, spring + timedelta(hours=1)):
        counting.record([counting.field("view", counting.hour_of(moment), url, "direct")], moment)
    counting.fold_counts(second)
    autumn = Tally.objects.filter(day=date(2026, 10, 25)).order_by("hour")
    assert [(tally.hour, tally.count) for tally in autumn] == [
        (first.replace(minute=0), 1),
        (second.replace(minute=0), 2),
    ]
    assert Tally.objects.filter(day=date(2026, 3, 29)).count() == 2


def test_the_command_prints_todays_views_with_counts_not_yet_folded(on_redis):
    busy = make_article("Tenants win a rent freeze")
    quiet = make_article("Council meets")
    for _ in range(2):
        beacon(reader(), busy.get_absolute_url())
    fold()
    beacon(reader(), busy.get_absolute_url())
    beacon(reader(), quiet.get_absolute_url())
    out = StringIO()
    call_command("readership", "--today", stdout=out)
    assert out.getvalue().splitlines() == ["3\tTenants win a rent freeze", "1\tCouncil meets", "4\ttotal"]


def test_reader_pages_carry_the_script_but_previews_and_staff_do_not(settings):
    article = make_article()
    page = reader().get(article.get_absolute_url()).content.decode()
    assert 'data-endpoint="/readership/count/"' in page and "js/readership" in page
    assert "js/readership" in reader().get("/").content.decode()
    editor = signed_in(staff_user("Editor"))
    assert "js/readership" not in editor.get(article.get_absolute_url()).content.decode()
    draft = make_article("Draft", status="draft")
    assert "js/readership" not in editor.get(f"/preview/{draft.pk}/").content.decode()


def test_a_site_that_wants_no_counting_leaves_the_script_out(settings):
    settings.READERSHIP_SCRIPT = False
    article = make_article()
    assert "js/readership" not in reader().get(article.get_absolute_url()).content.decode()
    assert "js/readership" not in reader().get("/").content.decode()


def test_the_privacy_notice_carries_the_objection_button_and_other_pages_do_not():
    make_page("Privacy notice", slug="privacy", body="<p>What we keep.</p>")
    make_page("About us", slug="about-us", body="<p>Who we are.</p>")
    assert b"data-readership-objection" in reader().get("/about/privacy/").content
    assert b"data-readership-objection" not in reader().get("/about/about-us/").content


def test_folding_counts_leaves_the_page_cache_alone():
    from canary.page_cache import current_generation

    article = make_article()
    generation = current_generation()
    beacon(reader(), article.get_absolute_url())
    fold()
    assert views(article) == 1
    assert current_generation() == generation  # a fold a minute must not empty every cached page
