"""The appeals funnel: per call to action and per story, appeal views → clicks → gifts → money,
over a period, as a chart and a CSV; totals for editors and Finance, a contributor's own stories."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.archive_generator import generate
from articles.factories import make_article
from articles.models import Article, Comment
from readership import counting
from supporters.models import CallToAction, Click, Donation, Supporter
from tests.supporters_helpers import give
from tests.test_readership_admin import NOW_PAGE, staff_client

pytestmark = pytest.mark.django_db

FUNNEL = f"{NOW_PAGE}funnel/"
FUNNEL_CSV = f"{FUNNEL}csv/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# Session, user, permissions and the admin's own, then the funnel's fixed set (three stages by
# appeal, three by story, three totals, the names and the headlines): 21 measured with 10
# stories or 300, never one a story.
FUNNEL_QUERY_LIMIT = 21


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    counting.local.take()  # this process's batch is shared by every test in it
    yield
    counting.local.take()


def call(name="Spring appeal"):
    return CallToAction.objects.create(name=name, placement="end", headline="Help", link="/support/")


def appeal_views(article, appeal_id, views):
    """`views` readers open the story with the appeal on it; their browsers send the beacon."""
    for n in range(views):
        Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{n + 1}").post(
            "/readership/count/",
            urlencode({"e": "view", "p": article.get_absolute_url(), "a": appeal_id}),
            content_type="application/x-www-form-urlencoded",
        )
    counting.fold_counts(timezone.now())


def clicks(appeal, article, times):
    for _ in range(times):
        Client().get(f"/go/c/{appeal.pk}/?a={article.pk}")


def funnel_of(client, **query):
    response = client.get(FUNNEL, query)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def row_of(page, name):
    return page[page.index(name) :].split("</tr>")[0]


@pytest.fixture
def spring():
    """An appeal on a story: 5 views, 3 clicks, 2 paid gifts (£5 and £20) and one declined."""
    appeal = call()
    article = make_article("The story that moved people")
    appeal_views(article, appeal.pk, 5)
    clicks(appeal, article, 3)
    origin = {"cta": str(appeal.pk), "from": str(article.pk)}
    give(Client(), amount="5", email="one@example.com", name="Ada Giver", **origin)
    give(Client(), amount="20", frequency="one_off", email="two@example.com", **origin)
    give(Client(), amount="7", frequency="one_off", email="three@example.com", pay=False, **origin)
    return appeal, article


@pytest.mark.parametrize("role", ["Editor", "Finance"])
def test_editors_and_finance_see_views_clicks_gifts_and_money_per_appeal_and_story(spring, role):
    response = funnel_of(staff_client(role))
    page = response.content.decode()
    assert response.context["totals"] | {} == {
        "views": 5,
        "clicks": 3,
        "gifts": 2,
        "pence": 2500,
        "money": "£25",
    }
    cells = "<td>5</td><td>3</td><td>2</td><td>£25</td>"
    assert row_of(page, "<td>Spring appeal</td>") == f"<td>Spring appeal</td>{cells}"
    assert row_of(page, "The story that moved people</a></td>").endswith(cells)
    # The chart says each stage and its share of the one before in text, not by colour.
    assert 'role="img"' in page and "3 (60% of appeal views)" in page and "2 (67% of clicks)" in page
    # Totals, never the people: no giver's name or address on the page.
    assert "Ada Giver" not in page and "one@example.com" not in page


def test_an_appeal_a_beacon_made_up_is_not_counted(spring):
    appeal, article = spring
    appeal_views(article, 987654, 4)  # no such call to action
    response = funnel_of(staff_client("Editor"))
    assert response.context["totals"]["views"] == 5
    assert [row["name"] for row in response.context["calls"]] == ["Spring appeal"]


def test_a_contributor_sees_only_the_figures_of_their_own_stories(spring):
    appeal, others = spring
    client = staff_client("Contributor")
    user = get_user_model().objects.get(username="contributor")
    mine = make_article("My own story", created_by=user)
    appeal_views(mine, appeal.pk, 2)
    clicks(appeal, mine, 1)
    response = funnel_of(client)
    page = response.content.decode()
    assert "My own story" in page and others.headline not in page
    assert response.context["totals"] | {} == {"views": 2, "clicks": 1, "gifts": 0, "pence": 0, "money": "£0"}
    # The appeal's row is what it did on their stories, not across the site.
    assert (
        row_of(page, "<td>Spring appeal</td>")
        == "<td>Spring appeal</td><td>2</td><td>1</td><td>0</td><td>£0</td>"
    )
    lines = list(csv.reader(io.StringIO(client.get(FUNNEL_CSV).content.decode())))
    assert [line[1] for line in lines[1:]] == ["Spring appeal", "My own story"]


def test_moderators_are_refused_and_readers_sent_to_sign_in(spring):
    assert staff_client("Moderator").get(FUNNEL).status_code == 403
    assert staff_client("Audience").get(FUNNEL_CSV).status_code == 403
    response = Client().get(FUNNEL_CSV)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_csv_has_every_row_and_no_cell_a_spreadsheet_would_run(spring):
    appeal, article = spring
    CallToAction.objects.filter(pk=appeal.pk).update(name='=HYPERLINK("http://evil.example","Click")')
    Article.objects.filter(pk=article.pk).update(headline="+1 and -1: a story")
    response = staff_client("Finance").get(FUNNEL_CSV, {"last": "7"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Kind", "Name", "Appeal views", "Clicks", "Gifts", "Money (GBP)"]
    assert lines[1] == [
        "Call to action",
        '\'=HYPERLINK("http://evil.example","Click")',
        "5",
        "3",
        "2",
        "25.00",
    ]
    assert lines[2] == ["Story", "'+1 and -1: a story", "5", "3", "2", "25.00"]


def test_the_period_decides_what_is_counted(spring):
    appeal, article = spring
    long_ago = timezone.now() - timedelta(days=40)
    name = counting.field(
        "view", counting.hour_of(long_ago), article.get_absolute_url(), "direct", "", appeal.pk
    )
    counting.write_counts({name: 100}, long_ago)
    client = staff_client("Editor")
    assert funnel_of(client).context["totals"]["views"] == 5  # the last 30 days by default
    assert funnel_of(client, last="90").context["totals"]["views"] == 105
    day = timezone.localtime(long_ago).date()
    only_then = funnel_of(client, start=f"{day}", end=f"{day}").context
    assert only_then["totals"]["views"] == 100 and only_then["totals"]["gifts"] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-05-01", "end": "2026-04-01"}, "The period must start before it ends."),
        ({"start": "2026-05-01"}, "Give both dates, From and To, or choose the last 7, 30 or 90 days."),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "Choose a date between 1990 and 2200."),
        ({"start": "yesterday", "end": "2026-05-01"}, "Enter a valid date."),
        ({"start": "1990-01-01", "end": "2200-01-01"}, "Choose a period of at most ten years."),
        ({"last": "365"}, "Select a valid choice."),
    ],
)
def test_a_bad_period_gets_a_message_and_the_last_30_days(spring, query, message):
    response = funnel_of(staff_client("Editor"), **query)
    assert message in response.content.decode()
    assert response.context["end"] - response.context["start"] == timedelta(days=29)
    assert response.context["totals"]["views"] == 5


def test_the_story_page_shows_its_appeal_views_clicks_gifts_money_and_comments(spring):
    appeal, article = spring
    Comment.objects.create(
        article=article, name="Reader", email="r@example.com", body="Thank you", status="approved"
    )
    Comment.objects.create(
        article=article, name="Spammer", email="s@example.com", body="Buy now", status="spam"
    )
    response = staff_client("Editor").get(f"{NOW_PAGE}story/{article.pk}/")
    page = response.content.decode()
    for label, value in [("Appeal views", 5), ("Clicks", 3), ("Gifts", 2), ("Money", "£25"), ("Comments", 1)]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page, label


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_funnel_runs_a_fixed_number_of_queries_however_many_stories(size):
    generate(size, log=lambda line: None)
    appeal = call()
    now = timezone.now()
    articles = list(Article.objects.published(now))
    names = {
        counting.field("view", counting.hour_of(now), article.get_absolute_url(), "direct", "", appeal.pk): n
        + 1
        for n, article in enumerate(articles)
    }
    counting.write_counts(names, now)
    Click.objects.bulk_create(
        Click(kind="cta", object_id=appeal.pk, article_id=article.pk, day=timezone.localdate(), count=2)
        for article in articles
    )
    giver = Supporter.objects.create(email="giver@example.com")
    Donation.objects.bulk_create(
        Donation(
            supporter=giver,
            frequency="one_off",
            amount_pence=500,
            provider="test",
            status="paid",
            paid_at=now,
            call_to_action_id=appeal.pk,
            article=article,
        )
        for article in articles
    )
    for client, path in ((staff_client("Editor"), FUNNEL), (staff_client("Contributor"), FUNNEL_CSV)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) <= FUNNEL_QUERY_LIMIT, path
    totals = funnel_of(staff_client("Finance")).context["totals"]
    assert totals["gifts"] == len(articles) and totals["clicks"] == 2 * len(articles)
