"""`make run`'s demo has a day of readership counts, so the newsroom's charts and the readers'
"Most read" list show something on a first run; loading them twice adds nothing."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Sum

from readership.models import Tally
from tests.test_readership_admin import NOW_PAGE, staff_client

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    call_command("seed_readership", stdout=out)
    return out.getvalue()


def total():
    return Tally.objects.aggregate(total=Sum("count"))["total"] or 0


def test_the_demo_has_a_day_of_counts_that_the_list_and_the_charts_show_and_loads_once(anonymous):
    assert "No published stories to count yet" in seed()
    assert total() == 0
    call_command("seed_demo", verbosity=0)
    assert "views over the last 24 hours" in seed()
    counted = total()
    assert counted > 0
    assert "already present" in seed()
    assert total() == counted

    home = anonymous.get("/").content.decode()
    assert re.search(r'<h2 id="most-read-heading"[^>]*>Most read</h2>', home)
    now_page = staff_client("Editor").get(NOW_PAGE).content.decode()
    today = re.search(r"<dt>Today</dt><dd>([\d,]+)</dd>", now_page).group(1)
    assert int(today.replace(",", "")) > 0  # the current hour is always among the day's
    sources = set(Tally.objects.filter(metric="view").values_list("source", flat=True))
    assert {"direct", "search", "social", "newsletter", "other"} <= sources
    assert Tally.objects.filter(metric="read").exists()


def test_seeding_on_a_database_not_yet_migrated_says_so_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    drop = ("DATABASE_URL", "REDIS_URL", "VAR_DIR", "MEDIA_ROOT")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_readership"],
        env={**env, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "canary.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "not fully migrated" in result.stderr and "Traceback" not in result.stderr


def test_the_privacy_notice_says_what_is_counted_what_is_not_and_how_to_object(anonymous):
    call_command("seed_demo", verbosity=0)
    html = anonymous.get("/about/privacy/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#39;", "'").replace("&quot;", '"')
    for said in (
        "which page it is",
        "the name of the website whose link brought you here",
        "never the address of the page you came from",
        "a search engine, social media, one of our newsletters, one of our appeals, another website",
        "which of our appeals for support the page showed",
        "when you reach the end of an article",
        "totals for each page, each hour and each kind of link",
        "We keep no cookie, no IP address, nothing about your browser or device",
        "no code for you, scrambled or not",
        "Global Privacy Control or Do Not Track",
        '"Don\'t count my visits" button',
        "not a cookie and is never sent to us",
    ):
        assert said in text, said
    # The notice's link leads to the button, which is on this page.
    assert 'href="#readership-objection"' in html and 'id="readership-objection"' in html
    assert "data-readership-objection" in html
