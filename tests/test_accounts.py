"""Supporters sign in with emailed single-use links and manage their giving."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from supporters.models import Donation, Plan, SignInToken, Supporter
from tests.supporters_helpers import give, link_from

pytestmark = pytest.mark.django_db(transaction=True)


def deliver():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def supporter():
    donation, _ = give(Client(), email="member@example.com", name="Mo Member")
    return donation.supporter


def request_link(client, email="member@example.com"):
    response = client.post("/account/login/", {"email": email}, follow=True)
    deliver()
    return response


def test_sign_in_link_is_emailed_and_signs_in_once(client, supporter):
    page = request_link(client).content.decode()
    assert "If that address belongs to a supporter, a sign-in link is on its way" in page
    link = link_from(mail.outbox[-1].body).replace("http://127.0.0.1:8000", "")
    assert client.get(link).status_code == 200  # the page with the button; nothing spent yet
    response = client.post(link)
    assert response["Location"] == "/account/"
    assert "Email: member@example.com" in client.get("/account/").content.decode()
    again = Client().post(link)
    assert again.status_code == 400
    assert "no longer works" in again.content.decode()


def test_unknown_email_gets_the_same_answer_and_no_email(client):
    page = request_link(client, "nobody@example.com").content.decode()
    assert "If that address belongs to a supporter, a sign-in link is on its way" in page
    assert mail.outbox == []


def test_sign_in_link_expires(client, supporter, settings):
    token = SignInToken.issue(supporter)
    SignInToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(f"/account/login/{token}/")
    assert response.status_code == 400
    assert client.get("/account/").status_code == 302


def test_sign_in_requests_are_rate_limited(client, supporter, settings):
    settings.SIGN_IN_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post("/account/login/", {"email": "member@example.com"}).status_code == 302
    response = client.post("/account/login/", {"email": "member@example.com"})
    assert response.status_code == 429
    assert "Too many sign-in requests" in response.content.decode()


def test_account_page_needs_a_signed_in_supporter(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def signed_in(supporter):
    client = Client()
    token = SignInToken.issue(supporter)
    client.post(f"/account/login/{token}/")
    return client


def test_account_shows_membership_and_history(supporter):
    page = signed_in(supporter).get("/account/").content.decode()
    assert "You are a member" in page
    assert "£5 a month" in page
    assert "Paid" in page


def test_cancel_takes_effect_at_the_end_of_the_paid_period(supporter):
    client = signed_in(supporter)
    plan = supporter.plans.get()
    response = client.post(f"/account/plans/{plan.pk}/cancel/", follow=True)
    plan.refresh_from_db()
    assert plan.cancel_at_period_end and plan.status == Plan.Status.ACTIVE
    ends = timezone.localtime(plan.current_period_end)
    assert f"Your membership continues until {ends.day} {ends:%B %Y}" in response.content.decode()
    assert supporter.is_member


def test_change_amount_applies_and_refuses_nonsense(supporter):
    client = signed_in(supporter)
    plan = supporter.plans.get()
    client.post(f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": "12"})
    plan.refresh_from_db()
    assert plan.amount_pence == 1200
    response = client.post(f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": "-3"}, follow=True)
    assert "can’t be negative" in response.content.decode()
    plan.refresh_from_db()
    assert plan.amount_pence == 1200


def test_supporter_cannot_touch_someone_elses_plan(supporter):
    other_donation, _ = give(Client(), email="other@example.com")
    client = signed_in(supporter)
    response = client.post(f"/account/plans/{other_donation.plan_id}/cancel/")
    assert response.status_code == 404
    assert not Plan.objects.get(pk=other_donation.plan_id).cancel_at_period_end


def test_download_my_data(supporter):
    response = signed_in(supporter).get("/account/data/")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["email"] == "member@example.com"
    assert data["donations"][0]["amount_pence"] == 500


def test_my_data_holds_my_comments_and_nobody_elses(supporter):
    from articles.factories import make_article
    from articles.models import Comment

    article = make_article("The harbour vote")
    Comment.objects.create(
        article=article, name="Mo", email="Member@Example.com", body="Mine, typed in capitals."
    )
    Comment.objects.create(article=article, name="Mo", email="someone@example.com", body="Not mine.")
    data = json.loads(signed_in(supporter).get("/account/data/").content)
    assert [(c["article"], c["body"]) for c in data["comments"]] == [
        ("The harbour vote", "Mine, typed in capitals.")
    ]


def test_delete_account_cancels_the_plan_erases_the_person_and_keeps_the_accounts(supporter):
    client = signed_in(supporter)
    client.post("/account/delete/", {"confirm": "delete"})
    supporter.refresh_from_db()
    assert supporter.erased_at is not None
    assert "member@example.com" not in supporter.email and supporter.name == ""
    assert supporter.plans.get().status == Plan.Status.CANCELLED
    assert Donation.objects.filter(supporter=supporter, status="paid").count() == 1
    assert client.get("/account/").status_code == 302
    assert not Supporter.objects.filter(email="member@example.com").exists()


def test_a_deleted_account_gets_one_goodbye_and_the_outbox_keeps_no_address(supporter):
    from core import clock
    from mailroom.models import Email

    signed_in(supporter).post("/account/delete/", {"confirm": "delete"})
    clock.tick(timezone.now() + timedelta(hours=1))  # the clock's own turn finds nothing left to do
    deliver()
    (goodbye,) = [m for m in mail.outbox if m.subject.endswith("account is deleted")]
    assert goodbye.to == ["member@example.com"]
    assert "A former reader" in goodbye.body and "Mo Member" not in goodbye.body
    assert not Email.objects.filter(to="member@example.com").exists()
    assert Email.objects.filter(template="supporters/account_deleted", status="sent", to="").exists()


def test_change_card_opens_the_development_providers_test_card_form(supporter):
    client = signed_in(supporter)
    plan = supporter.plans.get()
    response = client.post(f"/account/plans/{plan.pk}/card/", follow=True)
    assert "Update the card for £5 a month" in response.content.decode()


def test_annual_member_is_reminded_a_week_before_renewal_once(django_capture_on_commit_callbacks):
    from core import clock
    from core.models import Occurrence
    from supporters.services.notices import schedule_renewal_reminder

    with django_capture_on_commit_callbacks(execute=True):
        donation, _ = give(Client(), amount="60", frequency="annual", email="yearly@example.com")
    plan = Plan.objects.get(pk=donation.plan_id)
    reminder = Occurrence.objects.get(job="supporters.renewal_reminder")
    assert reminder.due_at == plan.current_period_end - timedelta(days=7)
    plan.renewal_reminder_for = None  # even asked again, the same period end is one occurrence
    schedule_renewal_reminder(plan)
    assert Occurrence.objects.filter(job="supporters.renewal_reminder").count() == 1
    clock.tick(reminder.due_at - timedelta(minutes=1))
    deliver()
    assert not any("renews soon" in m.subject for m in mail.outbox)
    clock.tick(reminder.due_at)
    clock.tick(reminder.due_at + timedelta(days=1))
    deliver()
    [reminder_email] = [m for m in mail.outbox if "renews soon" in m.subject]
    assert reminder_email.to == ["yearly@example.com"]
    assert "£60" in reminder_email.body


def test_no_reminder_for_a_cancelled_annual_plan():
    from core import clock
    from supporters.tasks import send_renewal_reminder

    donation, _ = give(Client(), amount="60", frequency="annual", email="gone@example.com")
    plan = Plan.objects.get(pk=donation.plan_id)
    plan.cancel_at_period_end = True
    plan.save()
    assert send_renewal_reminder.call(plan.pk, plan.current_period_end.isoformat()) == "not due"
    clock.tick(plan.current_period_end)
    deliver()
    assert not any("renews soon" in m.subject for m in mail.outbox)


def test_every_supporter_form_ties_its_hints_and_errors_to_their_fields(client, supporter):
    """Screen readers read out what aria-describedby names: each id it names must exist."""
    from tests.comment_helpers import described_by_targets_missing

    wrong = {"frequency": "monthly", "amount": "-1", "name": "", "email": "bad", "consent": ""}
    pages = {
        "support": client.get("/support/"),
        "support with errors": client.post("/support/", wrong),
        "sign-in with an error": client.post("/account/login/", {"email": "bad"}),
        "account": signed_in(supporter).get("/account/"),
    }
    for name, response in pages.items():
        page = response.content.decode()
        assert described_by_targets_missing(page) == set(), name
    assert (
        'aria-describedby="id_email_helptext id_email_error"' in pages["support with errors"].content.decode()
    )


def test_newsroom_staff_are_pointed_to_the_admin_not_to_a_supporter_account(client):
    from tests.security_helpers import staff_user

    client.force_login(staff_user("Editor"))
    page = client.get("/support/").content.decode()
    assert '<a class="masthead__account" href="/admin/">Admin</a>' in page
    assert "Your account" not in page
    assert client.get("/account/")["Location"] == "/admin/"
