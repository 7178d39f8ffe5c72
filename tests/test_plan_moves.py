"""A plan's moves (cancel, change the amount) refuse an illegal move with IllegalTransition,
never silently, and before the payment provider is asked anything."""

import pytest
from django.db import transaction
from django.test import Client

from supporters.exceptions import IllegalTransition
from supporters.models import Plan
from supporters.services import plan_moves
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan():
    donation, _ = give(Client(), email="member@example.com", name="Mo Member")
    return donation.supporter.plans.get()


def test_a_plan_cancelled_twice_is_refused_the_second_time(plan):
    plan_moves.cancel_plan(plan)
    assert Plan.objects.get(pk=plan.pk).cancel_at_period_end
    with pytest.raises(IllegalTransition):
        plan_moves.cancel_plan(Plan.objects.get(pk=plan.pk))


def test_a_stale_copy_cannot_cancel_again(plan):
    """Two tabs with the account page open: the second cancel sees the first."""
    stale = Plan.objects.get(pk=plan.pk)
    plan_moves.cancel_plan(plan)
    with pytest.raises(IllegalTransition):
        plan_moves.cancel_plan(stale)


@pytest.mark.parametrize("status", [Plan.Status.PENDING, Plan.Status.CANCELLED])
def test_a_plan_that_is_not_running_neither_cancels_nor_changes_its_amount(plan, status):
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    with pytest.raises(IllegalTransition):
        plan_moves.cancel_plan(plan)
    with pytest.raises(IllegalTransition):
        plan_moves.change_amount(plan, 1200)
    plan.refresh_from_db()
    assert (plan.amount_pence, plan.cancel_at_period_end) == (500, False)


def test_an_amount_of_nothing_is_refused_by_the_model(plan):
    with pytest.raises(IllegalTransition), transaction.atomic():
        plan.change_amount(0)
    assert Plan.objects.get(pk=plan.pk).amount_pence == 500


def test_cancelling_twice_from_the_account_page_says_so(plan):
    from tests.test_accounts import signed_in

    client = signed_in(plan.supporter)
    client.post(f"/account/plans/{plan.pk}/cancel/")
    page = client.post(f"/account/plans/{plan.pk}/cancel/", follow=True).content.decode()
    assert "already ends at the close of its paid period" in page
