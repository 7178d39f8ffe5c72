"""Cancelling asks once, is confirmed by email and can be taken back until the paid period ends;
a first gift is welcomed and a new amount confirmed. Each email goes once, whichever path moved
the plan (the account page, or the provider's own pages through a webhook)."""

import uuid

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as date_format

from supporters.emails import cancelled
from supporters.exceptions import IllegalTransition
from supporters.models import Plan
from supporters.payments.base import PaymentEvent
from supporters.services import events, plan_moves
from tests.security_helpers import sign_in_by_link
from tests.supporters_helpers import give
from tests.test_accounts import deliver

pytestmark = pytest.mark.django_db(transaction=True)


def emails(subject_start):
    """What reached the mailbox, once the worker has sent what the outbox holds."""
    deliver()
    return [m for m in mail.outbox if m.subject.startswith(subject_start)]


def long_date(moment):
    return date_format(timezone.localtime(moment), "j F Y")


@pytest.fixture
def member():
    donation, _ = give(Client(), email="member@example.com", name="Mo Member")
    plan = donation.supporter.plans.get()
    client = sign_in_by_link(donation.supporter, Client(enforce_csrf_checks=False))
    return plan, client


def provider_says(plan, **changes):
    """The provider's own pages moved the plan: its webhook event, as our provider layer reads it."""
    event = PaymentEvent(
        provider=plan.provider,
        event_id=f"evt_{uuid.uuid4().hex}",
        type="customer.subscription.updated",
        kind="subscription_updated",
        occurred_at=timezone.now(),
        subscription_id=plan.provider_subscription_id,
        subscription_status="active",
        period_end=plan.current_period_end,
        **changes,
    )
    return events.apply_event(event)


def test_the_first_gift_is_welcomed_and_later_ones_only_receipted():
    give(Client(), email="new@example.com", frequency="one_off", amount="10")
    give(Client(), email="new@example.com", frequency="one_off", amount="10")
    (welcome,) = emails("Welcome")
    assert welcome.to == ["new@example.com"]
    assert "You are now a member for the next" in welcome.body
    html = welcome.alternatives[0][0]
    assert "http://127.0.0.1:8000/account/login/" in html and "/account/login/" in welcome.body
    assert len(emails("Your receipt")) == 2


def test_cancelling_asks_once_with_the_end_date_and_changes_nothing_until_confirmed(member):
    plan, client = member
    page = client.get(f"/account/plans/{plan.pk}/cancel/").content.decode()
    assert f"Your membership continues until <strong>{long_date(plan.current_period_end)}</strong>" in page
    assert "Cancel your £5 monthly gift?" in page
    assert not Plan.objects.get(pk=plan.pk).cancel_at_period_end
    assert emails("Your gift is cancelled") == []


def test_a_confirmed_cancellation_keeps_the_reason_and_is_emailed_once(member):
    plan, client = member
    response = client.post(
        f"/account/plans/{plan.pk}/cancel/", {"reason": "money", "note": "Back when I can."}, follow=True
    )
    assert (
        f"Your membership continues until {long_date(plan.current_period_end)}" in response.content.decode()
    )
    plan.refresh_from_db()
    assert plan.cancel_at_period_end and plan.status == Plan.Status.ACTIVE
    assert (plan.cancel_reason, plan.cancel_note) == ("money", "Back when I can.")

    # The provider's own event for the same change follows; it sends nothing more.
    assert provider_says(plan, cancel_at_period_end=True) == "applied"
    (confirmation,) = emails("Your gift is cancelled")
    assert f"membership continues until {long_date(plan.current_period_end)}" in confirmation.subject
    assert "Resume" in confirmation.body and "Resume" in confirmation.alternatives[0][0]


def test_an_unknown_reason_is_refused_and_nothing_changes(member):
    plan, client = member
    response = client.post(f"/account/plans/{plan.pk}/cancel/", {"reason": "<script>"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Plan.objects.get(pk=plan.pk).cancel_at_period_end


def test_resume_before_the_period_ends_carries_on_with_nothing_charged(member):
    plan, client = member
    client.post(f"/account/plans/{plan.pk}/cancel/")
    assert len(emails("Your gift is cancelled")) == 1
    account = client.get("/account/").content.decode()
    assert "Resume this gift" in account
    gifts_before = plan.donations.count()

    page = client.post(f"/account/plans/{plan.pk}/resume/", follow=True).content.decode()
    assert "Resumed" in page
    plan.refresh_from_db()
    assert not plan.cancel_at_period_end and plan.cancel_requested_at is None
    assert plan.donations.count() == gifts_before
    (carries_on,) = emails("Your gift carries on")
    assert long_date(plan.current_period_end) in carries_on.body
    # A cancellation email still waiting in the outbox would now be wrong: it is dropped.
    assert cancelled({"plan": plan.pk}, "member@example.com") is None

    # And it can be cancelled again.
    client.post(f"/account/plans/{plan.pk}/cancel/")
    assert Plan.objects.get(pk=plan.pk).cancel_at_period_end
    assert len(emails("Your gift is cancelled")) == 2


def test_a_gift_that_has_ended_cannot_be_resumed(member):
    plan, client = member
    plan_moves.cancel_plan(plan)
    Plan.objects.filter(pk=plan.pk).update(current_period_end=timezone.now() - timezone.timedelta(minutes=1))
    with pytest.raises(IllegalTransition):
        plan_moves.resume_plan(Plan.objects.get(pk=plan.pk))
    page = client.post(f"/account/plans/{plan.pk}/resume/", follow=True).content.decode()
    assert "already ended" in page
    assert Plan.objects.get(pk=plan.pk).cancel_at_period_end


def test_a_plan_not_ending_cannot_be_resumed(member):
    plan, _ = member
    with pytest.raises(IllegalTransition):
        plan_moves.resume_plan(plan)
    assert emails("Your gift carries on") == []


def test_cancelling_and_resuming_at_the_provider_email_once_each(member):
    plan, _ = member
    for _ in range(2):  # the provider sends each change; a second event says the same
        provider_says(Plan.objects.get(pk=plan.pk), cancel_at_period_end=True)
    assert len(emails("Your gift is cancelled")) == 1
    assert Plan.objects.get(pk=plan.pk).cancel_requested_at is not None
    for _ in range(2):
        provider_says(Plan.objects.get(pk=plan.pk), cancel_at_period_end=False)
    assert len(emails("Your gift carries on")) == 1


def test_someone_else_cannot_cancel_or_resume_a_plan(member):
    plan, _ = member
    donation, _ = give(Client(), email="other@example.com")
    other = sign_in_by_link(donation.supporter, Client())
    assert other.get(f"/account/plans/{plan.pk}/cancel/").status_code == 404
    assert other.post(f"/account/plans/{plan.pk}/cancel/").status_code == 404
    assert other.post(f"/account/plans/{plan.pk}/resume/").status_code == 404
    assert not Plan.objects.get(pk=plan.pk).cancel_at_period_end


def test_a_new_amount_is_confirmed_by_email(member):
    plan, client = member
    client.post(f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": "12"})
    (changed,) = emails("Your gift is now £12 a month")
    assert "it was £5" in changed.body


def test_monthly_givers_hear_every_six_months_what_they_give_and_how_to_stop():
    from datetime import datetime

    from core import clock
    from core.models import Occurrence
    from supporters.services.notices import next_giving_reminder

    started = timezone.make_aware(datetime(2026, 8, 31, 9, 0))
    assert next_giving_reminder(started, started).date().isoformat() == "2027-02-28"
    assert (
        next_giving_reminder(started, started.replace(year=2027, month=3)).date().isoformat() == "2027-08-31"
    )

    donation, _ = give(Client(), email="monthly@example.com", amount="5")
    plan = donation.plan
    reminder = Occurrence.objects.get(job="supporters.giving_reminder")
    assert reminder.params["plan"] == plan.pk
    clock.tick(reminder.due_at - timezone.timedelta(minutes=1))
    assert emails("Your £5 a month to") == []
    clock.tick(reminder.due_at)
    (note,) = emails("Your £5 a month to")
    assert "£5 a month" in note.body and "stop" in note.body
    assert Occurrence.objects.filter(job="supporters.giving_reminder").count() == 2  # the next one


def test_no_six_month_note_for_a_gift_that_is_ending():
    from core import clock
    from core.models import Occurrence

    donation, _ = give(Client(), email="ending@example.com", amount="5")
    plan_moves.cancel_plan(donation.plan)
    clock.tick(Occurrence.objects.get(job="supporters.giving_reminder").due_at)
    assert emails("Your £5 a month to") == []
