"""A year of membership as a present: bought once, emailed on its date by the clock, claimed
once with a signed link, extending a member's year, and erased when it lapses unclaimed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.models import Occurrence
from supporters.models import Donation, GiftMembership, GivingPage, Supporter
from supporters.models.gifts import GIFT_DAYS, REMINDER_DAYS
from tests.gift_helpers import buy_gift, claim_path, inbox, order_gift, run_clock
from tests.security_helpers import sign_in_by_link, signed_in, staff_user
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)


def bought_and_sent(client=None, **changes):
    donation, _ = buy_gift(client or Client(), **changes)
    run_clock(timezone.now())
    (gift_email,) = inbox("robin@example.com", "has given you")
    return donation.gift, gift_email


def test_a_gift_bought_through_the_dev_checkout_is_receipted_and_emailed_once():
    buyer = Client()
    donation, finished = buy_gift(buyer)
    assert donation.frequency == Donation.Frequency.GIFT and donation.status == Donation.Status.PAID
    assert donation.amount_pence == 6000  # Finance's default price
    assert "We will email Robin Recipient on" in buyer.get(finished["Location"]).content.decode()
    (receipt,) = inbox("bea@example.com", "gift")
    assert "£60" in receipt.body and "Robin Recipient" in receipt.body
    assert inbox("bea@example.com", "Welcome") == []  # buying for someone else makes nobody a member
    assert not donation.supporter.is_member

    run_clock(timezone.now())
    run_clock(timezone.now() + timedelta(minutes=5))
    (gift_email,) = inbox("robin@example.com")
    assert gift_email.subject.startswith("Bea Buyer has given you a year of ")
    assert "Bea Buyer wrote (their words, not ours):" in gift_email.body
    html = gift_email.alternatives[0][0]
    # The buyer's words, escaped: no markup of a stranger's reaches our mail.
    assert "&lt;b&gt;Read&lt;/b&gt; well &amp; often." in html and "<b>Read</b>" not in html
    assert "/support/gift/claim/" in html


def test_the_price_is_the_one_finance_sets():
    page = GivingPage.current()
    page.gift_price_pence = 4500
    page.save()
    assert "Give a year for £45" in Client().get("/support/gift/").content.decode()
    donation, _ = buy_gift(Client())
    assert donation.amount_pence == 4500


def test_the_support_page_offers_a_gift_membership():
    page = Client().get("/support/").content.decode()
    assert 'href="/support/gift/"' in page and "Give a membership as a present" in page


def test_a_dated_gift_is_sent_by_the_clock_on_its_morning_and_only_once():
    day = timezone.localdate() + timedelta(days=10)
    donation, _ = buy_gift(Client(), send="date", send_on=day.isoformat())
    occurrence = Occurrence.objects.get(job="supporters.send_gift")
    assert timezone.localtime(occurrence.due_at).date() == day
    assert timezone.localtime(occurrence.due_at).hour == 9
    run_clock(occurrence.due_at - timedelta(minutes=1))
    assert inbox("robin@example.com") == []
    run_clock(occurrence.due_at)
    run_clock(occurrence.due_at + timedelta(days=1))
    assert len(inbox("robin@example.com", "has given you")) == 1
    assert GiftMembership.objects.get().sent_at is not None


def test_a_declined_payment_sends_nothing_and_schedules_nothing():
    donation, _ = buy_gift(Client(), pay=False)
    assert donation.status == Donation.Status.DECLINED
    run_clock(timezone.now() + timedelta(days=1))
    assert inbox() == []
    assert not Occurrence.objects.filter(job="supporters.send_gift").exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"message": "Look at https://evil.example/win"}, "Please leave out links"),
        ({"message": "go to www.example.org now"}, "Please leave out links"),
        ({"message": "see example.com/prize"}, "Please leave out links"),
        ({"buyer_name": "Bank.com support"}, "Please leave out links"),
        ({"message": "x" * 301}, "Please keep the message to 300 characters."),
        ({"send": "date", "send_on": ""}, "Choose the date we should email them."),
        ({"send": "date", "send_on": "2001-01-01"}, "That date has passed."),
        ({"send": "date", "send_on": "9999-12-31"}, "Choose a date within 365 days from today."),
        ({"recipient_email": "not an address"}, "Enter a valid email address."),
        ({"consent": ""}, "Please agree to the privacy notice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_keeps_what_was_typed(changes, error):
    response = order_gift(Client(), **changes)
    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert "Robin Recipient" in page or changes.get("recipient_name") == ""
    assert not Donation.objects.exists() and not GiftMembership.objects.exists()


def test_the_dates_the_form_offers_are_today_to_a_year_ahead():
    page = Client().get("/support/gift/").content.decode()
    today = timezone.localdate()
    assert f'min="{today.isoformat()}"' in page
    assert f'max="{(today + timedelta(days=365)).isoformat()}"' in page


def test_the_recipient_claims_once_and_is_a_member_for_a_year():
    gift, gift_email = bought_and_sent()
    path = claim_path(gift_email)
    robin = Client()
    page = robin.get(path)
    assert page.status_code == 200 and "Claim my membership" in page.content.decode()
    assert not Supporter.objects.filter(email="robin@example.com").exists()  # opening is not claiming

    claimed = robin.post(path)
    assert "you are a member until" in claimed.content.decode()
    recipient = Supporter.objects.get(email="robin@example.com")
    until = recipient.membership_until()
    assert (
        timedelta(days=GIFT_DAYS) - timedelta(minutes=1) < until - timezone.now() <= timedelta(days=GIFT_DAYS)
    )
    assert Supporter.objects.members().filter(pk=recipient.pk).exists()
    assert recipient.name == ""  # the buyer's words about them never become their record
    (note,) = inbox("bea@example.com", "claimed")
    assert "Robin Recipient has claimed" in note.body

    again = Client().post(path)
    assert again.status_code == 409 and "already been claimed" in again.content.decode()
    assert recipient.membership_until() == until
    assert "already been claimed" in Client().get(path).content.decode()
    assert len(inbox("bea@example.com", "claimed")) == 1


def test_a_tampered_or_foreign_link_is_refused_and_changes_nothing():
    gift, gift_email = bought_and_sent()
    path = claim_path(gift_email)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for bad in (tampered, "/support/gift/claim/not-a-token/"):
        response = Client().post(bad)
        assert response.status_code == 404 and "This gift link is not valid" in response.content.decode()
    # A link signed for another purpose (a dev checkout token) does not open a gift either.
    from django.core import signing

    foreign = signing.dumps({"gift": gift.pk}, salt="canary.supporters.dev-checkout")
    assert Client().post(f"/support/gift/claim/{foreign}/").status_code == 404
    assert GiftMembership.objects.get().claimed_at is None


def test_someone_else_pressing_the_button_cannot_take_the_gift():
    gift, gift_email = bought_and_sent()
    mallory, _ = give(Client(), email="mallory@example.com", frequency="one_off", pay=False)
    browser = sign_in_by_link(mallory.supporter, Client())
    browser.post(claim_path(gift_email))
    # The year went to the address the buyer chose, never to the browser that pressed.
    assert Supporter.objects.get(email="robin@example.com").is_member
    assert not Supporter.objects.get(email="mallory@example.com").is_member


def test_a_member_is_extended_by_a_year_after_their_own_membership():
    donation, _ = give(Client(), email="robin@example.com", frequency="one_off", amount="10")
    recipient = donation.supporter
    before = recipient.membership_until()
    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    gift.refresh_from_db()
    assert gift.member_from == before
    assert recipient.membership_until() == before + timedelta(days=GIFT_DAYS)
    # Past the one-off's days, the gift keeps them a member.
    assert Supporter.objects.members(before + timedelta(days=1)).filter(pk=recipient.pk).exists()
    assert not Supporter.objects.members(before + timedelta(days=GIFT_DAYS + 1)).filter(pk=recipient.pk)


def test_a_plan_members_gift_year_follows_the_period_already_paid():
    donation, _ = give(Client(), email="robin@example.com", frequency="annual", amount="60")
    plan = donation.plan
    plan.refresh_from_db()
    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    gift.refresh_from_db()
    assert gift.member_from == plan.current_period_end


def test_an_unclaimed_gift_lapses_and_its_recipient_is_erased():
    gift, gift_email = bought_and_sent()
    path = claim_path(gift_email)
    lapse = Occurrence.objects.get(job="supporters.gift_lapse")
    assert lapse.due_at == gift.claim_until
    run_clock(lapse.due_at - timedelta(minutes=1))
    assert GiftMembership.objects.get().recipient_email == "robin@example.com"
    run_clock(lapse.due_at)
    gift.refresh_from_db()
    assert (gift.recipient_email, gift.recipient_name, gift.message) == ("", "", "")
    assert gift.erased_at is not None and gift.purchase.status == Donation.Status.PAID  # money kept
    response = Client().get(path)
    assert response.status_code == 410 and "can no longer be claimed" in response.content.decode()
    refused = Client().post(path)
    assert refused.status_code == 409 and "not claimed in time" in refused.content.decode()
    assert not Supporter.objects.filter(email="robin@example.com").exists()


def test_a_claimed_gift_is_not_erased_when_its_window_closes():
    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    run_clock(gift.claim_until + timedelta(minutes=1))
    gift.refresh_from_db()
    assert gift.recipient_email == "robin@example.com" and gift.erased_at is None


def test_the_recipient_is_reminded_before_the_gifted_year_ends_unless_they_give_themselves():
    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    gift.refresh_from_db()
    reminder = Occurrence.objects.get(job="supporters.gift_ending")
    assert reminder.due_at == gift.member_until - timedelta(days=REMINDER_DAYS)
    run_clock(reminder.due_at - timedelta(minutes=1))
    assert inbox("robin@example.com", "ends on") == []
    run_clock(reminder.due_at)
    (ending,) = inbox("robin@example.com", "ends on")
    assert "Nothing renews" in ending.body and "/support/" in ending.body


def test_no_ending_reminder_for_a_recipient_whose_own_plan_carries_on():
    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    give(Client(), email="robin@example.com", frequency="monthly", amount="5")
    reminder = Occurrence.objects.get(job="supporters.gift_ending")
    run_clock(reminder.due_at)
    assert inbox("robin@example.com", "ends on") == []


def test_the_finance_figures_count_the_money_and_a_new_member_when_claimed():
    from supporters.stats import period_figures

    def this_month():
        now = timezone.now()
        return period_figures(now - timedelta(days=1), now + timedelta(days=1))

    give(Client(), email="old@example.com", frequency="one_off", amount="10")
    gift, gift_email = bought_and_sent()
    figures = this_month()
    assert figures["received_pence"] == 1000 + 6000 and figures["gifts"] == 2
    assert figures["gift_memberships_bought"] == 1 and figures["gift_memberships_claimed"] == 0
    assert figures["new_members"] == 1  # the one-off giver, not the buyer
    Client().post(claim_path(gift_email))
    figures = this_month()
    assert figures["gift_memberships_claimed"] == 1 and figures["new_members"] == 2

    # A gift claimed by someone who already was a member makes no new member.
    second, second_email = bought_and_sent(recipient_email="old@example.com")
    Client().post(claim_path(inbox("old@example.com", "has given you")[0]))
    figures = this_month()
    assert figures["gift_memberships_claimed"] == 2 and figures["new_members"] == 2


def test_finance_sees_gift_memberships_in_the_admin_read_only(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    gift, _ = bought_and_sent()
    finance = signed_in(staff_user("Finance"))
    page = finance.get("/admin/supporters/giftmembership/")
    assert page.status_code == 200 and "Bea Buyer" in page.content.decode()
    assert finance.get("/admin/supporters/giftmembership/add/").status_code == 403
    change = finance.get(f"/admin/supporters/giftmembership/{gift.pk}/change/").content.decode()
    assert 'name="recipient_email"' not in change  # shown, never editable


def test_the_gift_pages_run_a_fixed_handful_of_queries(django_assert_max_num_queries):
    gift, gift_email = bought_and_sent()
    path = claim_path(gift_email)
    # The site's layout reads sections, footer pages, appeals, ads and newsletters (5); the form
    # adds the price, the claim page the gift.
    with django_assert_max_num_queries(6):
        assert Client().get("/support/gift/").status_code == 200
    with django_assert_max_num_queries(6):
        assert Client().get(path).status_code == 200


def test_a_supporters_data_export_includes_gift_memberships():
    from supporters.services.personal_data import export_supporter

    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    bought = export_supporter(Supporter.objects.get(email="bea@example.com"))["gift_memberships_given"]
    assert bought[0]["to"] == "Robin Recipient" and bought[0]["claimed"] is True
    received = export_supporter(Supporter.objects.get(email="robin@example.com"))
    assert received["gift_memberships_received"][0]["from"] == "Bea Buyer"


def test_a_buyer_who_erases_their_account_leaves_no_name_or_words_in_the_gift():
    from supporters.services.personal_data import delete_supporter

    day = timezone.localdate() + timedelta(days=3)
    donation, _ = buy_gift(Client(), send="date", send_on=day.isoformat())
    delete_supporter(donation.supporter)
    run_clock(timezone.now() + timedelta(days=4))
    (gift_email,) = inbox("robin@example.com", "has given you")
    assert "Bea Buyer" not in gift_email.body and "Happy birthday" not in gift_email.body
    assert gift_email.subject.startswith("A reader has given you")
    assert GiftMembership.objects.get().purchase.status == Donation.Status.PAID  # the money stays


def test_the_dashboard_and_the_report_show_gift_memberships_alike(settings):
    from tests.test_finance_figures import figures

    settings.STAFF_TWO_FACTOR_REQUIRED = False
    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    finance = Client()
    finance.force_login(staff_user("Finance"))
    dashboard = figures(finance.get("/admin/").content.decode(), "dashboard-giving")
    report = figures(finance.get("/admin/supporters/calltoaction/report/").content.decode(), "report-totals")
    assert dashboard["Received this month"] == report["Received"] == "£60"
    assert dashboard["Gift memberships bought this month"] == report["Gift memberships bought"] == "1"
    assert dashboard["Gift memberships claimed this month"] == report["Gift memberships claimed"] == "1"
    assert dashboard["New members this month"] == report["New members"] == "1"  # the recipient
    assert dashboard["Active members"] == "1"


def test_the_weekly_chart_counts_a_gifted_member():
    from supporters.stats import weekly

    gift, gift_email = bought_and_sent()
    Client().post(claim_path(gift_email))
    assert weekly(timezone.now() + timedelta(days=1), weeks=2)[-1][2] == 1


def test_a_gift_refunded_after_it_was_sent_can_no_longer_be_claimed():
    gift, gift_email = bought_and_sent()
    Donation.objects.filter(pk=gift.purchase_id).update(status=Donation.Status.REFUNDED)
    refused = Client().post(claim_path(gift_email))
    assert refused.status_code == 409 and "cannot be claimed" in refused.content.decode()
    assert not Supporter.objects.filter(email="robin@example.com").exists()
