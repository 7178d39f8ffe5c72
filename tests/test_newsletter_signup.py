"""Readers sign up for newsletters from cached pages, with or without JavaScript, and confirm
by a button: nobody learns who subscribes, nobody is signed up by a link scanner, and nobody
fills a stranger's inbox."""

import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client

from articles.factories import make_article
from newsletters.factories import make_members_letter, make_newsletter
from newsletters.models import Consent, Subscriber, Subscription
from newsletters.tokens import CONFIRM_SALT
from newsletters.wording import CURRENT, WORDINGS
from supporters.models import Donation

pytestmark = pytest.mark.django_db(transaction=True)


def deliver():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def daily():
    return make_newsletter()


def sign_up(client, newsletters, email="reader@example.com", name="", page="/", ip="192.0.2.10"):
    data = {"email": email, "name": name, "newsletters": [letter.pk for letter in newsletters], "page": page}
    return client.post("/newsletters/sign-up/", data, REMOTE_ADDR=ip)


def confirm_link(message):
    return re.search(r"http://127\.0\.0\.1:8000(/newsletters/confirm/\S+/)", message.body).group(1)


def status(email="reader@example.com"):
    return list(Subscription.objects.filter(subscriber__email=email).values_list("status", flat=True))


def test_the_form_is_on_every_page_that_offers_it_with_no_token_and_nothing_ticked(anonymous, daily):
    article = make_article("A story worth following", comments="open")
    for path in ["/", article.get_absolute_url(), "/newsletters/", "/support/thanks/"]:
        page = anonymous.get(path).content.decode()
        form = re.search(r'<form method="post" class="newsletter-signup__form".*?</form>', page, re.S).group(
            0
        )
        assert 'name="csrfmiddlewaretoken" value=""' in form, path
        assert "checked" not in form, path
        assert 'action="/newsletters/sign-up/check/"' in form, path
        assert "The Daily Canary" in form and "Every day at 07:00" in form, path
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert page.index("newsletter-signup") < page.index('id="comment-form"')


def test_the_thank_you_page_after_a_gift_offers_the_form_but_not_while_it_reloads_itself(client, daily):
    from tests.supporters_helpers import give

    data = {
        "frequency": "one_off",
        "amount": "5",
        "name": "Gus",
        "email": "giver@example.com",
        "consent": "on",
    }
    assert client.post("/support/", data).status_code == 302  # on its way to the checkout, not paid yet
    waiting = client.get(f"/support/thanks/?donation={Donation.objects.get().pk}").content.decode()
    assert 'http-equiv="refresh"' in waiting and "newsletter-signup__form" not in waiting
    give(client, amount="5", frequency="one_off")
    paid = client.get(f"/support/thanks/?donation={Donation.objects.latest('id').pk}").content.decode()
    assert "Thank you" in paid and "newsletter-signup__form" in paid and "The Daily Canary" in paid


def test_the_newsletters_page_describes_each_public_letter_and_links_its_archive(anonymous, daily):
    make_newsletter("Hidden", "hidden", public=False)
    make_members_letter()
    page = anonymous.get("/newsletters/").content.decode()
    assert "stories from the co-op" in page
    assert 'href="/newsletters/daily/"' in page
    assert "Hidden" not in page and "From the members" not in page
    assert anonymous.get("/newsletters/daily/").status_code == 200
    assert anonymous.get("/newsletters/hidden/").status_code == 404
    assert anonymous.get("/newsletters/members/").status_code == 404


def test_signing_up_sends_one_confirmation_and_a_scanner_following_the_link_confirms_nothing(daily):
    reader = Client()
    response = sign_up(reader, [daily])
    assert response.status_code == 302 and response["Location"] == "/newsletters/check-your-email/"
    deliver()
    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    link = confirm_link(message)
    scanner = Client()
    page = scanner.get(link)
    assert page.status_code == 200 and "Yes, subscribe me" in page.content.decode()
    scanner.head(link)
    assert status() == ["pending"]
    confirmed = Client().post(link)
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.content.decode()
    assert status() == ["subscribed"]


def test_the_answer_is_the_same_for_a_new_a_pending_and_a_subscribed_address(daily):
    Subscription.objects.create(
        subscriber=Subscriber.objects.create(email="member@example.com"),
        newsletter=daily,
        status=Subscription.Status.SUBSCRIBED,
    )
    sign_up(Client(), [daily], email="pending@example.com")
    answers = set()
    for email in ["new@example.com", "pending@example.com", "member@example.com"]:
        response = sign_up(Client(), [daily], email=email)
        page = Client().get(response["Location"])
        answers.add((response.status_code, response["Location"], page.content))
    assert len(answers) == 1
    # Signing a subscriber up again changes nothing for them, and sends them nothing.
    assert status("member@example.com") == ["subscribed"]
    deliver()
    assert "member@example.com" not in [message.to[0] for message in mail.outbox]


def test_the_confirmation_never_repeats_the_typed_name(daily, smtp_server):
    sign_up(Client(), [daily], name="Claim your prize at evil.example")
    deliver()
    [message] = smtp_server.messages
    text, html = smtp_server.parts(message)
    assert "evil.example" not in text + html + str(message["Subject"])
    assert "The Daily Canary" in text and "The Daily Canary" in html
    assert re.search(r"http://127\.0\.0\.1:8000/newsletters/confirm/\S+/", text)
    # The name joins the subscriber only when the address itself confirms.
    assert Subscriber.objects.get().name == ""
    Client().post(re.search(r"http://127\.0\.0\.1:8000(/newsletters/confirm/\S+/)", text).group(1))
    assert Subscriber.objects.get().name == "Claim your prize at evil.example"


def test_the_consent_record_says_when_where_which_words_and_for_which_letter(daily):
    weekly = make_newsletter("The Weekly", "weekly", schedule="weekly", weekday=4)
    sign_up(Client(), [daily, weekly], page="/2026/12/01/a-story/")
    consents = Consent.objects.order_by("newsletter__slug")
    assert [consent.newsletter.slug for consent in consents] == ["daily", "weekly"]
    for consent in consents:
        assert consent.endpoint == "/newsletters/sign-up/"
        assert consent.page == "/2026/12/01/a-story/"
        assert consent.wording_version == CURRENT and consent.wording == WORDINGS[CURRENT]
        assert consent.asked_at is not None and consent.confirmed_at is None
    deliver()
    Client().post(confirm_link(mail.outbox[0]))
    assert all(consent.confirmed_at for consent in Consent.objects.all())
    assert status() == ["subscribed", "subscribed"]


def test_a_page_that_is_not_ours_is_not_recorded(daily):
    sign_up(Client(), [daily], page="//evil.example/")
    assert Consent.objects.get().page == ""


def test_without_javascript_a_step_shows_the_choices_back_with_a_token(daily):
    reader = Client(enforce_csrf_checks=True)
    data = {"email": "nojs@example.com", "newsletters": [daily.pk], "page": "/"}
    step = reader.post("/newsletters/sign-up/check/", data)
    page = step.content.decode()
    assert step.status_code == 200 and step["Cache-Control"] == "private, no-store"
    assert "nojs@example.com" in page and "checked" in page
    assert Subscriber.objects.count() == 0  # the step stores nothing
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = reader.post("/newsletters/sign-up/", {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert status("nojs@example.com") == ["pending"]


def test_with_javascript_the_fetched_token_lets_the_form_post_straight_and_none_refuses(daily):
    reader = Client(enforce_csrf_checks=True)
    data = {"email": "js@example.com", "newsletters": [daily.pk]}
    assert reader.post("/newsletters/sign-up/", data).status_code == 403
    token = reader.get("/newsletters/token/").json()["csrf"]
    assert reader.post("/newsletters/sign-up/", {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert status("js@example.com") == ["pending"]


def test_addresses_are_checked_by_syntax_only(daily):
    assert sign_up(Client(), [daily], email="not an address").status_code == 400
    assert sign_up(Client(), [], email="someone@example.com").status_code == 400
    assert sign_up(Client(), [daily], email="someone@no-such-domain.invalid").status_code == 302
    assert Subscriber.objects.get().email == "someone@no-such-domain.invalid"


def test_a_members_letter_is_not_offered_to_everyone_and_a_forged_choice_is_refused(daily):
    members = make_members_letter()
    assert "From the members" not in Client().get("/newsletters/").content.decode()
    assert sign_up(Client(), [members]).status_code == 400
    assert Subscriber.objects.count() == 0


def test_five_sign_ups_a_minute_from_one_address_all_go_through_and_a_flood_is_stopped(
    daily, settings, fresh_minute
):
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = 20
    office = "198.51.100.7"
    for number in range(5):
        assert (
            sign_up(Client(), [daily], email=f"colleague{number}@example.com", ip=office).status_code == 302
        )
    deliver()
    assert len(mail.outbox) == 5
    answers = [
        sign_up(Client(), [daily], email=f"bot{n}@example.com", ip=office).status_code for n in range(20)
    ]
    assert answers.count(429) == 5
    assert sign_up(Client(), [daily], email="elsewhere@example.com", ip="203.0.113.9").status_code == 302


def test_nobody_can_fill_a_strangers_inbox_with_confirmations(daily, settings):
    settings.NEWSLETTER_ADDRESS_RATE_LIMIT = 5
    answers = {
        sign_up(Client(), [daily], email="victim@example.com", ip=f"203.0.113.{n}")["Location"]
        for n in range(12)
    }
    deliver()
    assert answers == {"/newsletters/check-your-email/"}
    assert len([message for message in mail.outbox if message.to == ["victim@example.com"]]) <= 5


def test_a_tampered_or_foreign_confirmation_link_confirms_nothing(daily):
    sign_up(Client(), [daily])
    deliver()
    link = confirm_link(mail.outbox[0])
    token = link.split("/")[-2]
    tampered = link.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    consent = Consent.objects.get()
    forged_salt = signing.dumps(
        {"e": "reader@example.com", "c": [consent.pk]}, salt="articles.comment-confirm"
    )
    other_address = signing.dumps(
        {"e": "someone@example.com", "c": [consent.pk]}, salt=CONFIRM_SALT, compress=True
    )
    for bad in [tampered, f"/newsletters/confirm/{forged_salt}/"]:
        assert Client().post(bad).status_code == 400
    Client().post(f"/newsletters/confirm/{other_address}/")
    assert status() == ["pending"]


def test_confirmation_links_survive_a_key_rotation_and_not_a_stranger_key(daily, settings):
    sign_up(Client(), [daily])
    deliver()
    link = confirm_link(mail.outbox[0])
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    assert Client().post(link).status_code == 400
    assert status() == ["pending"]
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert Client().post(link).status_code == 200
    assert status() == ["subscribed"]


def test_a_changed_newsletter_refreshes_cached_pages_and_a_sign_up_does_not():
    from canary.invalidation import is_content
    from newsletters.models import Newsletter, Suppression

    assert is_content(Newsletter)
    assert not any(is_content(model) for model in (Subscriber, Subscription, Consent, Suppression))


def test_a_renamed_newsletter_shows_in_the_form_at_once(anonymous, daily):
    assert "The Daily Canary" in anonymous.get("/").content.decode()
    daily.name = "The Morning Canary"
    daily.save()
    page = anonymous.get("/").content.decode()
    assert "The Morning Canary" in page and "The Daily Canary" not in page
