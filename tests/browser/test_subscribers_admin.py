"""The audience team, in Chromium: the subscriber list at phone and desktop width, filtered, exported,
and an import followed from its upload to its report. With SHOTS_DIR set, the pages are saved."""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from newsletters.factories import make_members_letter, make_newsletter, subscribed
from newsletters.models import Subscription
from tests.test_subscriber_import import OURS

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw-long-enough-1"


def shoot(page, name):
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], f"{name}.png"), full_page=True)


def signed_in(browser, live_server, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("aud")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


def test_the_audience_team_filters_exports_and_imports(browser, live_server, tmp_path):
    user = get_user_model().objects.create_user("aud", "aud@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Audience"))
    daily, members = make_newsletter(), make_members_letter()
    for n in range(12):
        subscribed(daily, f"reader{n}@example.com", name=f"Reader {n}")
    subscribed(members, "reader1@example.com")
    subscribed(daily, "gone@example.com", status="unsubscribed")
    Subscription.objects.filter(subscriber__email__startswith="reader1").update(source="import")

    for width in (390, 1366):
        context, page = signed_in(browser, live_server, width)
        page.goto("/admin/newsletters/subscription/")
        expect(page.get_by_text("gone@example.com")).to_be_visible()
        shoot(page, f"newsletters-subscribers-{width}")
        context.close()

    context, page = signed_in(browser, live_server, 1366)
    page.goto(f"/admin/newsletters/subscription/?status__exact=subscribed&newsletter__id__exact={daily.pk}")
    assert page.get_by_text("gone@example.com").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Export this list as CSV").click()
    exported = download.value.path().read_text()
    assert exported.count("\n") == 13 and "gone@example.com" not in exported

    page.get_by_role("link", name="Import subscribers").click()
    path = tmp_path / "old-list.csv"
    path.write_text(OURS)
    page.get_by_label("Newsletter").select_option(str(daily.pk))
    page.set_input_files("#id_file", str(path))
    page.get_by_label("Dry run").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    shoot(page, "newsletters-imports-1366")
    expect(page.get_by_text("Waiting for the worker").first).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page.get_by_role("link", name="old-list.csv").first.click()
    expect(page.get_by_text("4 added, 0 updated, 1 skipped, 2 invalid.")).to_be_visible()
    shoot(page, "newsletters-import-1366")
    context.close()
    context, page = signed_in(browser, live_server, 390)
    page.goto("/admin/newsletters/subscriberimport/")
    page.get_by_role("link", name="old-list.csv").first.click()
    shoot(page, "newsletters-import-390")
    context.close()
