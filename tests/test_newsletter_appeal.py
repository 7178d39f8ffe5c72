"""The appeal in a newsletter: readers who are not members find one call to action in their
copy, members find none, and what its clicks bring in is credited to the issue, not the reader."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from articles.factories import make_article, make_section
from newsletters import appeal, sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from supporters.models import CallToAction, Click, Donation
from tests.security_helpers import supporter_user
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "http://127.0.0.1:8000"


def call(**fields):
    defaults = {"name": fields.get("headline", "Appeal"), "placement": "email", "link": "/support/"}
    return CallToAction.objects.create(**{**defaults, **fields})


def sent_issue(newsletter, *addresses, articles=()):
    for address in addresses:
        subscribed(newsletter, address)
    issue = make_issue(newsletter, "Library saved; fares up", articles)
    sending.start(issue)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    return issue


def copies(inbox):
    return {message["To"]: inbox.parts(message) for message in inbox.messages}


def report(start="", end=""):
    editor = get_user_model().objects.create_user("ed", "ed@example.com", "pw-long-enough-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    admin = Client()
    admin.force_login(editor)
    return admin.get("/admin/supporters/calltoaction/report/").content.decode()


def row(page, name):
    return page[page.index(f"<td>{name}</td>") :].split("</tr>")[0]


def test_readers_who_are_not_members_get_the_appeal_and_members_none(smtp_server):
    daily = make_newsletter()
    supporter_user("member@example.com")
    appeal_ = call(headline="Keep the Canary singing", text="We answer to readers.", button_label="Join us")
    call(headline="A banner for the site", placement="banner")  # another place: never in an email
    call(headline="Members: bring a friend", audience="members", link="/about/")
    issue = sent_issue(daily, "member@example.com", "reader@example.com", "zoe@example.com")
    link = f"{SITE}/go/c/{appeal_.pk}/?n={issue.pk}"
    got = copies(smtp_server)
    assert Counter(message["To"] for message in smtp_server.messages) == Counter(
        ["member@example.com", "reader@example.com", "zoe@example.com"]
    )
    for address in ("reader@example.com", "zoe@example.com"):
        text, html = got[address]
        assert "Keep the Canary singing" in text and "Keep the Canary singing" in html
        assert f"Join us: {link}" in text
        assert f'href="{link.replace("&", "&amp;")}"' in html
        # The same link in every copy: nothing in it says who clicked.
        assert address.split("@")[0] not in link
    for part in got["member@example.com"]:
        assert "Keep the Canary singing" not in part and "/go/c/" not in part
        assert "bring a friend" not in part and "A banner for the site" not in part


def test_no_live_appeal_for_emails_leaves_the_copy_without_one(smtp_server):
    daily = make_newsletter()
    call(headline="Switched off", enabled=False)
    sent_issue(daily, "reader@example.com")
    text, html = copies(smtp_server)["reader@example.com"]
    assert "/go/c/" not in text and "/go/c/" not in html and "Switched off" not in html


def test_targeting_follows_the_sections_of_the_issues_stories(smtp_server):
    daily = make_newsletter()
    council, sport = make_section("Council"), make_section("Sport")
    call(headline="For sport readers", weight=100).sections.add(sport)
    call(headline="For council readers").sections.add(council)
    sent_issue(daily, "reader@example.com", articles=[make_article("Library saved", section=council)])
    text, _ = copies(smtp_server)["reader@example.com"]
    assert "For council readers" in text and "For sport readers" not in text


def test_every_worker_picks_the_same_appeal_for_an_issue_and_weight_decides_how_often():
    daily = make_newsletter()
    heavy, light = call(headline="Heavy", weight=9), call(headline="Light", weight=1)
    issues = [make_issue(daily, f"Issue {n}") for n in range(200)]
    picks = [appeal.for_issue(issue, [])["headline"] for issue in issues]
    assert picks == [appeal.for_issue(issue, [])["headline"] for issue in issues]  # a second worker
    assert 150 < picks.count(heavy.headline) < 195 and picks.count(light.headline) > 5


def test_a_click_and_the_gift_after_it_are_credited_to_the_issue(smtp_server):
    daily = make_newsletter()
    appeal_ = call(headline="Spring appeal")
    issue = sent_issue(daily, "reader@example.com")
    reader = Client()
    response = reader.get(f"/go/c/{appeal_.pk}/?n={issue.pk}")
    assert response["Location"] == f"/support/?cta={appeal_.pk}&issue={issue.pk}"
    assert not response.cookies
    form = reader.get(response["Location"]).content.decode()
    assert f'name="issue" value="{issue.pk}"' in form
    Client().get(f"/go/c/{appeal_.pk}/?n={issue.pk}")
    donation, _ = give(
        reader, amount="5", email="giver@example.com", cta=str(appeal_.pk), issue=str(issue.pk)
    )
    donation.refresh_from_db()
    assert (donation.call_to_action_id, donation.newsletter_issue_id, donation.status) == (
        appeal_.pk,
        issue.pk,
        "paid",
    )
    # The click row holds the appeal, the issue and the day: no reader, no address.
    assert list(Click.objects.values_list("object_id", "issue_id", "article_id", "count")) == [
        (appeal_.pk, issue.pk, 0, 2)
    ]
    page = report()
    place = "Newsletter: The Daily Canary — Library saved; fares up"
    assert row(page, place) == f"<td>{place}</td><td>2</td><td>1</td><td>£5</td><td>1</td>"
    assert row(page, "Spring appeal") == "<td>Spring appeal</td><td>2</td><td>1</td><td>£5</td><td>1</td>"


@pytest.mark.parametrize("which", ["made up", "draft", "not a number"])
def test_a_click_or_gift_naming_an_issue_that_never_went_out_credits_no_issue(which):
    daily = make_newsletter()
    appeal_ = call(headline="Spring appeal")
    issue_id = {"made up": "99999999", "draft": str(make_issue(daily).pk), "not a number": "1²"}[which]
    reader = Client()
    response = reader.get(f"/go/c/{appeal_.pk}/?n={issue_id}")
    assert response["Location"] == f"/support/?cta={appeal_.pk}"  # the reader still gets there
    assert list(Click.objects.values_list("issue_id", "count")) == [(0, 1)]
    give(reader, cta=str(appeal_.pk), issue=issue_id)
    assert Donation.objects.get().newsletter_issue_id is None
    assert "Newsletter:" not in report()


def test_an_issue_named_without_its_appeal_credits_no_issue(smtp_server):
    issue = sent_issue(make_newsletter(), "reader@example.com")
    give(Client(), issue=str(issue.pk))  # no call to action: nothing brought them from the email
    assert Donation.objects.get().newsletter_issue_id is None


def test_the_report_reads_the_same_queries_for_one_issue_or_many(smtp_server):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    daily = make_newsletter()
    appeal_ = call(headline="Spring appeal")
    editor = get_user_model().objects.create_user("ed", "ed@example.com", "pw-long-enough-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    admin = Client()
    admin.force_login(editor)
    counts = []
    for n in range(3):
        issue = sent_issue(daily, f"reader{n}@example.com")
        Client().get(f"/go/c/{appeal_.pk}/?n={issue.pk}")
        give(Client(), email=f"giver{n}@example.com", cta=str(appeal_.pk), issue=str(issue.pk))
        with CaptureQueriesContext(connection) as queries:
            page = admin.get("/admin/supporters/calltoaction/report/").content.decode()
        assert page.count("<td>Newsletter: The Daily Canary — ") == n + 1
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
