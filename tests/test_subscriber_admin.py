"""The audience team's list of subscribers: filters, search, a streamed CSV export that is logged and
safe to open in a spreadsheet; and nobody else, editors and Finance included, sees any of it."""

import csv
import io
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletters.factories import make_members_letter, make_newsletter, subscribed
from newsletters.models import Subscription
from tests.test_finance_admin import staff_client

pytestmark = pytest.mark.django_db

LIST = "/admin/newsletters/subscription/"
EXPORT = "/admin/newsletters/subscription/export/"


@pytest.fixture
def readers():
    daily, members = make_newsletter(), make_members_letter()
    subscribed(daily, "ann@example.com", name="Ann")
    subscribed(daily, "bo@mutual.coop", name='=HYPERLINK("http://evil","click")')
    subscribed(daily, "cy@example.com", status="unsubscribed")
    subscribed(members, "ann@example.com")
    Subscription.objects.filter(subscriber__email="bo@mutual.coop").update(source="import")
    return daily, members


def rows_of(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_list_filters_by_newsletter_status_and_source_and_searches_by_address(readers):
    daily, _ = readers
    audience = staff_client("Audience")
    page = audience.get(LIST).content.decode()
    assert "ann@example.com" in page and "Export this list as CSV" in page and "Import subscribers" in page
    page = audience.get(
        LIST, {"newsletter__id__exact": daily.pk, "status__exact": "subscribed"}
    ).content.decode()
    assert "ann@example.com" in page and "bo@mutual.coop" in page and "cy@example.com" not in page
    page = audience.get(LIST, {"source__exact": "import"}).content.decode()
    assert "bo@mutual.coop" in page and "ann@example.com" not in page
    page = audience.get(LIST, {"q": "mutual.coop"}).content.decode()
    assert "bo@mutual.coop" in page and "ann@example.com" not in page
    page = audience.get(LIST, {"created_at__gte": "2000-01-01 00:00:00+00:00"}).content.decode()
    assert "cy@example.com" in page


def test_the_export_is_the_filtered_list_with_formulas_neutralised_and_is_logged(readers, caplog):
    daily, _ = readers
    audience = staff_client("Audience")
    with caplog.at_level(logging.INFO, logger="canary.security"):
        response = audience.get(EXPORT, {"newsletter__id__exact": daily.pk, "status__exact": "subscribed"})
        # Logged before the first row: a download stopped half-way has been taken all the same.
        assert [r.getMessage() for r in caplog.records if "started an export" in r.getMessage()] == [
            f"audience started an export of subscribers (filter: newsletter__id__exact={daily.pk}&status__exact=subscribed)"
        ]
        rows = rows_of(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["email", "name", "newsletter", "status", "source", "joined", "confirmed", "left"]
    assert sorted(row[0] for row in rows[1:]) == ["ann@example.com", "bo@mutual.coop"]
    bo = next(row for row in rows if row[0] == "bo@mutual.coop")
    assert bo[1] == '\'=HYPERLINK("http://evil","click")'
    said = [r.getMessage() for r in caplog.records if "exported" in r.getMessage()]
    assert said == [
        f"audience exported 2 rows of subscribers (filter: newsletter__id__exact={daily.pk}&status__exact=subscribed)"
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(readers, start):
    Subscription.objects.filter(subscriber__email="ann@example.com").update(source=f"{start}cmd")
    rows = rows_of(staff_client("Audience").get(EXPORT, {"q": "ann@"}))
    assert {row[4] for row in rows[1:]} == {f"'{start}cmd"}


def test_the_list_runs_the_same_queries_for_a_few_readers_or_many(readers):
    daily, _ = readers
    audience = staff_client("Audience")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert audience.get(LIST).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(40):
        subscribed(daily, f"reader{n}@example.com", name=f"Reader {n}")
    assert queries() == few


@pytest.mark.parametrize("role", ["Editor", "Finance", "Moderator", "Contributor"])
def test_nobody_but_the_audience_team_sees_subscribers(readers, role):
    client = staff_client(role)
    for url in (LIST, EXPORT, "/admin/newsletters/subscriber/", "/admin/newsletters/subscriberimport/",
                "/admin/newsletters/subscriberimport/add/"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    subscription = Subscription.objects.first()
    assert client.get(f"{LIST}{subscription.pk}/change/").status_code == 403


def test_the_audience_team_reads_but_edits_nothing(readers):
    audience = staff_client("Audience")
    subscription = Subscription.objects.first()
    page = audience.get(f"{LIST}{subscription.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert audience.post(f"{LIST}{subscription.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_not_given_the_export(client, readers):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_export_runs_the_same_queries_for_a_few_readers_or_many(readers):
    daily, _ = readers
    audience = staff_client("Audience")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = rows_of(audience.get(EXPORT))
        return len(captured.captured_queries), len(rows)

    few, count = queries()
    for n in range(40):
        subscribed(daily, f"reader{n}@example.com")
    assert queries() == (few, count + 40)


def test_one_readers_page_shows_all_their_subscriptions(readers):
    ann = Subscription.objects.filter(subscriber__email="ann@example.com").first().subscriber
    page = staff_client("Audience").get(f"/admin/newsletters/subscriber/{ann.pk}/change/")
    assert page.status_code == 200
    assert "The Daily Canary" in page.content.decode() and "From the members" in page.content.decode()
