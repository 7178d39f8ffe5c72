"""Dates in the newsroom's lists, as a person says them, with the exact moment kept in a <time>."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.relative_time import describe, time_tag

LONDON = ZoneInfo("Europe/London")
# A Friday afternoon in winter (GMT) and one in summer (BST), so the local clock is the one shown.
NOW = datetime(2026, 12, 4, 15, 30, tzinfo=LONDON)
SUMMER = datetime(2026, 7, 3, 15, 30, tzinfo=LONDON)


@pytest.mark.parametrize(
    "moment,words",
    [
        (NOW, "just now"),
        (NOW - timedelta(seconds=50), "just now"),
        (NOW - timedelta(minutes=1), "1 minute ago"),
        (NOW - timedelta(minutes=45), "45 minutes ago"),
        (NOW + timedelta(minutes=20), "in 20 minutes"),
        (NOW - timedelta(hours=1, minutes=10), "1 hour ago"),
        (NOW + timedelta(hours=2, minutes=5), "in 2 hours"),
        (NOW - timedelta(hours=5), "today 10:30"),
        (NOW + timedelta(hours=4), "today 19:30"),
        (datetime(2026, 12, 3, 16, 40, tzinfo=LONDON), "yesterday 16:40"),
        (datetime(2026, 12, 5, 7, 0, tzinfo=LONDON), "tomorrow 07:00"),
        (datetime(2026, 11, 30, 9, 5, tzinfo=LONDON), "Mon 30 Nov, 09:05"),
        (datetime(2025, 12, 30, 9, 5, tzinfo=LONDON), "30 Dec 2025"),
    ],
)
def test_a_moment_is_said_as_a_person_would(moment, words):
    assert describe(moment, NOW) == words


def test_the_day_and_clock_are_londons_even_when_stored_in_utc():
    stored = datetime(2026, 7, 2, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 3 July in London
    assert describe(stored, SUMMER) == "today 00:30"


def test_the_exact_moment_is_in_the_tag_for_a_hover_and_machines():
    moment = datetime(2026, 12, 3, 16, 40, tzinfo=LONDON)
    tag = time_tag(moment, NOW)
    assert tag == (
        '<time datetime="2026-12-03T16:40:00+00:00" title="Thursday 3 December 2026, 16:40 GMT">'
        "yesterday 16:40</time>"
    )
    assert time_tag(None, NOW) == "—"
