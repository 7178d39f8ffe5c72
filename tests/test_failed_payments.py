"""A declined renewal, recovered by the supporter alone: the email with its card link, the card
form and nothing else, a reminder before the grace period ends and a note when it has."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from core import clock
from core.models import Occurrence
from supporters.models import Plan
from supporters.payments.base import PaymentEvent
from supporters.services import events
from tests.supporters_helpers import give
from tests.test_accounts import deliver

pytestmark = pytest.mark.django_db(transaction=True)


def emails(subject_part):
    deliver()
    return [m for m in mail.outbox if subject_part in m.subject]


def declined(plan):
    """The provider's word that a renewal failed (Stripe retries, so it may say it several times)."""
    return events.apply_event(
        PaymentEvent(
            provider=plan.provider,
            event_id=f"evt_{uuid.uuid4().hex}",
            type="invoice.payment_failed",
            kind="invoice_failed",
            occurred_at=timezone.now(),
            subscription_id=plan.provider_subscription_id,
        )
    )


def card_link(message):
    return re.search(r"http://127\.0\.0\.1:8000(/support/card/[^/\s]+/)", message.body)[1]


@pytest.fixture
def overdue():
    donation, _ = give(Client(), email="mo@example.com", name="Mo Member")
    plan = donation.plan
    assert declined(plan) == "applied"
    return Plan.objects.get(pk=plan.pk)


def test_a_declined_renewal_is_told_once_and_benefits_stay_through_the_grace_period(overdue):
    assert declined(overdue) == "applied"  # the provider's retry fails again: no second email
    (failed,) = emails("didn't go through")
    assert failed.to == ["mo@example.com"]
    grace_end = overdue.grace_ends_at()
    assert f"you stay a member until {timezone.localtime(grace_end).day}" in failed.body
    assert "/support/card/" in failed.alternatives[0][0]
    assert overdue.supporter.is_member
    due = dict(Occurrence.objects.values_list("job", "due_at"))
    assert due["supporters.grace_ended"] == grace_end
    assert due["supporters.grace_reminder"] == grace_end - timedelta(days=3)


def test_the_card_link_shows_one_button_and_leads_only_to_the_card_form(overdue):
    link = card_link(emails("didn't go through")[0])
    reader = Client()
    page = reader.get(link)
    assert page.status_code == 200 and "Go to the card form" in page.content.decode()
    assert "sessionid" not in page.cookies  # not a sign-in
    assert reader.get("/account/").status_code == 302

    form = reader.post(link)
    assert form.status_code == 302 and "/support/checkout/test/card/" in form["Location"]
    saved = reader.post(form["Location"], {"action": "save"})
    assert saved["Location"].endswith("/support/card/done/")

    plan = Plan.objects.get(pk=overdue.pk)
    assert plan.status == Plan.Status.ACTIVE and plan.past_due_since is None
    assert len(emails("Your receipt")) == 2  # the first gift's and the recovered renewal's
    assert reader.get(link).status_code == 400  # the failure it named is over

    clock.tick(overdue.grace_ends_at() + timedelta(minutes=1))
    assert emails("pauses") == [] and emails("has paused") == []
    assert Plan.objects.get(pk=overdue.pk).status == Plan.Status.ACTIVE


@pytest.mark.parametrize("spoil", ["tamper", "after the grace period"])
def test_a_spoiled_card_link_opens_nothing(overdue, spoil, settings):
    link = card_link(emails("didn't go through")[0])
    if spoil == "tamper":
        link = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    else:
        Plan.objects.filter(pk=overdue.pk).update(
            past_due_since=overdue.past_due_since - timedelta(days=settings.PAST_DUE_GRACE_DAYS)
        )
    page = Client().post(link)
    assert page.status_code == 400
    assert "This card link no longer works" in page.content.decode()


def test_a_reminder_before_the_end_and_a_note_when_benefits_stop(overdue):
    ends = overdue.grace_ends_at()
    clock.tick(ends - timedelta(days=3, minutes=1))
    assert emails("pauses on") == []
    clock.tick(ends - timedelta(days=3))
    (reminder,) = emails("pauses on")
    assert "/support/card/" in reminder.body

    clock.tick(ends)
    (note,) = emails("has paused")
    assert "/support/" in note.body
    plan = Plan.objects.get(pk=overdue.pk)
    assert plan.status == Plan.Status.CANCELLED  # stopped at the provider too: nothing taken later
    assert not plan.supporter.is_member
    clock.tick(ends + timedelta(days=1))
    assert len(emails("has paused")) == 1
