"""Two presses of the same gift's claim button at the same moment, from two browsers: exactly
one claims it, the other is told clearly that it has been claimed, and nothing is doubled."""

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from supporters.models import GiftMembership, Supporter
from tests.gift_helpers import buy_gift, claim_path, inbox, run_clock

pytestmark = pytest.mark.django_db(transaction=True)  # the threads see committed rows only


def at_once(count, press):
    """Run `press` in `count` threads released together; returns their results.

    PostgreSQL runs them truly at once. The in-memory SQLite of the tests refuses a second writer
    outright where a file database (IMMEDIATE transactions, a busy timeout) makes it wait its
    turn, so there the presses take turns, as SQLite itself would have them.
    """
    start = threading.Barrier(count)
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    results = [None] * count

    def run(index):
        try:
            start.wait(10)
            with turns:
                results[index] = press()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_claims_at_once_make_one_member_and_one_clear_refusal():
    buy_gift(Client())
    run_clock(timezone.now())
    (gift_email,) = inbox("robin@example.com", "has given you")
    path = claim_path(gift_email)

    answers = at_once(2, lambda: Client().post(path))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 409], codes
    won = next(a for a in answers if a.status_code == 200).content.decode()
    lost = next(a for a in answers if a.status_code == 409).content.decode()
    assert "you are a member until" in won
    assert "This gift has already been claimed" in lost and "nothing more changed" in lost

    gift = GiftMembership.objects.get()
    assert Supporter.objects.filter(email="robin@example.com").count() == 1
    assert gift.claimed_by.email == "robin@example.com"
    assert len(inbox("bea@example.com", "claimed")) == 1  # the buyer hears once
    from core.models import Occurrence

    assert Occurrence.objects.filter(job="supporters.gift_ending").count() == 1


@pytest.mark.parametrize("known", [False, True], ids=["new address", "known supporter"])
def test_two_gifts_for_one_person_claimed_at_once_make_two_years_one_after_the_other(known):
    """Neither claim trips over the other's new supporter row, and the second year follows the
    first even when both claims read the recipient's membership at the same moment."""
    if known:
        Supporter.objects.create(email="robin@example.com")
    for _ in range(2):
        buy_gift(Client())
    run_clock(timezone.now())
    paths = [claim_path(m) for m in inbox("robin@example.com", "has given you")]
    assert len(paths) == 2

    left = iter(paths)
    answers = at_once(2, lambda: Client().post(next(left)))
    assert sorted(a.status_code for a in answers) == [200, 200], [a.content.decode()[:300] for a in answers]
    robin = Supporter.objects.get(email="robin@example.com")
    years = sorted(robin.gifts_received.values_list("member_from", "member_until"))
    assert len(years) == 2 and years[1][0] == years[0][1]  # the second year follows the first
