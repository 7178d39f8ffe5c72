"""Who may open what (every admin model, every account page), and CSRF on every POST that stores anything.

The admin's expectations come from canary/roles.py: a role lists a model's changelist if it may
view or change it, and its add form if it may add it and the admin allows adding at all (payment
rows, comments and emails are never added by hand).
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.commenting import SESSION_KEY, confirmation_token
from articles.factories import make_article
from articles.models import Comment, Section
from canary import roles
from mailroom.models import Email
from supporters.models import Donation, Plan, SignInToken, Supporter
from tests.security_helpers import ROLES, signed_in, staff_user, supporter_user
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "supporter", *ROLES)


def client_for(actor, **options):
    if actor == "anonymous":
        return Client(**options)
    if actor == "supporter":
        user, _, _ = supporter_user()
        return signed_in(user, **options)
    return signed_in(staff_user(actor), **options)


def registered_admins():
    """(label, changelist URL, add URL, whether the admin lets anyone add) for every admin model."""
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-boss-password-1")
    request = RequestFactory().get("/admin/")
    request.user = boss
    rows = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        info = (opts.app_label, opts.model_name)
        rows.append(
            (
                opts.label_lower,
                reverse("admin:{}_{}_changelist".format(*info)),
                reverse("admin:{}_{}_add".format(*info)),
                model_admin.has_add_permission(request),
            )
        )
    return sorted(rows)


def expected(actor, label, view, allows_add):
    if actor in ("anonymous", "supporter"):
        return 302  # to the admin's sign-in page: not staff
    app, model = label.split(".")
    granted = set(roles.ROLES[actor])
    if view == "changelist":
        allowed = f"{app}.view_{model}" in granted or f"{app}.change_{model}" in granted
    else:
        allowed = f"{app}.add_{model}" in granted and allows_add
    return 200 if allowed else 403


@pytest.mark.parametrize("actor", ACTORS)
def test_every_admin_model_list_and_add_form_answers_as_the_roles_say(actor):
    admins = registered_admins()
    assert len(admins) >= 20
    client = client_for(actor)
    wrong = []
    for label, changelist, add, allows_add in admins:
        for view, url in (("changelist", changelist), ("add", add)):
            response = client.get(url)
            want = expected(actor, label, view, allows_add)
            if response.status_code != want:
                wrong.append(f"{label} {view}: {response.status_code}, expected {want}")
            elif want == 302:
                assert response["Location"].startswith("/admin/login/?next="), response["Location"]
    assert wrong == []


def test_the_table_is_not_empty_for_any_role():
    """Each staff role reaches something and is refused something: the matrix above means something."""
    admins = registered_admins()
    for role in ROLES:
        lists = [expected(role, label, "changelist", allows) for label, _, _, allows in admins]
        assert 200 in lists and 403 in lists, role


@pytest.mark.parametrize("actor", ACTORS)
def test_the_money_report_is_for_editors_and_finance_only(actor):
    response = client_for(actor).get("/admin/supporters/calltoaction/report/")
    want = {"anonymous": 302, "supporter": 302, "Editor": 200, "Finance": 200}.get(actor, 403)
    assert response.status_code == want


def test_only_finance_exports_supporters():
    give(Client(), email="a@example.com")
    ids = list(Supporter.objects.values_list("pk", flat=True))
    data = {"action": "export_csv", "_selected_action": ids}
    finance = client_for("Finance").post("/admin/supporters/supporter/", data)
    assert finance["Content-Type"].startswith("text/csv")
    editor = client_for("Editor").post("/admin/supporters/supporter/", data)
    assert editor.status_code == 403


# --- Account pages -------------------------------------------------------------------------------


def account_pages(plan):
    return [
        ("GET", "/account/"),
        ("GET", "/account/data/"),
        ("GET", "/account/delete/"),
        ("POST", "/account/details/"),
        ("POST", f"/account/plans/{plan.pk}/cancel/"),
        ("POST", f"/account/plans/{plan.pk}/amount/"),
    ]


@pytest.mark.parametrize("actor", ACTORS)
def test_account_pages_are_for_their_supporter_only(actor):
    _, owner, plan = supporter_user("owner@example.com", "Owner")
    client = client_for(actor)
    for method, url in account_pages(plan):
        response = client.get(url) if method == "GET" else client.post(url, {f"plan{plan.pk}-amount": "9"})
        if actor == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith("/account/login/?next=/account/"), url
        elif actor == "supporter" and "/plans/" not in url:
            # Another supporter reaches their own account, never the owner's.
            assert response.status_code in (200, 302), url
            assert b"owner@example.com" not in response.content
        elif actor != "supporter" and url == "/account/":
            # Staff have no supporter account: their own account is the admin.
            assert (response.status_code, response["Location"]) == (302, "/admin/"), actor
        else:
            # Staff have no supporter account; another supporter does not own this plan.
            assert response.status_code == 404, (actor, url, response.status_code)
    plan.refresh_from_db()
    owner.refresh_from_db()
    assert (plan.amount_pence, plan.status, plan.cancel_at_period_end) == (500, Plan.Status.ACTIVE, False)
    assert owner.name == "Owner" and owner.erased_at is None


def test_the_owner_reaches_every_account_page():
    user, _, plan = supporter_user("owner@example.com", "Owner")
    client = signed_in(user)
    for url in ("/account/", "/account/data/", "/account/delete/"):
        assert client.get(url).status_code == 200, url
    assert client.post(f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": "9"}).status_code == 302
    plan.refresh_from_db()
    assert plan.amount_pence == 900
    assert client.get("/account/login/")["Location"] == "/account/"


# --- CSRF: every POST that stores anything --------------------------------------------------------


def strict(user=None):
    return Client(enforce_csrf_checks=True) if user is None else signed_in(user, enforce_csrf_checks=True)


def csrf_token(client, url):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode())
    return match.group(1)


def test_comment_post_without_a_token_is_refused_and_stores_nothing(settings):
    settings.COMMENT_MIN_SECONDS = 0
    from tests.comment_helpers import comment_data

    article = make_article("Open", comments="open")
    attacker = strict()
    response = attacker.post(f"/comments/{article.pk}/post/", comment_data(attacker))
    assert response.status_code == 403
    assert not Comment.objects.exists()
    # The way comments.js does it, with the token from /comments/token/, works.
    client = strict()
    token = client.get("/comments/token/").json()["csrf"]
    ok = client.post(f"/comments/{article.pk}/post/", {**comment_data(client), "csrfmiddlewaretoken": token})
    assert ok.status_code == 302 and Comment.objects.count() == 1


def test_the_no_javascript_preview_needs_no_token_because_it_stores_nothing():
    article = make_article("Open", comments="open")
    response = strict().post(
        f"/comments/{article.pk}/preview/", {"name": "A", "email": "a@example.com", "body": "Hello"}
    )
    assert response.status_code == 200
    assert not Comment.objects.exists()


def test_support_form_without_a_token_is_refused_and_stores_nothing():
    data = {"frequency": "monthly", "amount": "5", "name": "Kim", "email": "kim@example.com", "consent": "on"}
    assert strict().post("/support/", data).status_code == 403
    assert not Donation.objects.exists() and not Supporter.objects.exists()
    client = strict()
    ok = client.post("/support/", {**data, "csrfmiddlewaretoken": csrf_token(client, "/support/")})
    assert ok.status_code == 302 and Donation.objects.count() == 1


def test_dev_checkout_pay_without_a_token_pays_nothing():
    client = Client()
    response = client.post(
        "/support/",
        {"frequency": "one_off", "amount": "5", "name": "Kim", "email": "kim@example.com", "consent": "on"},
    )
    checkout = response["Location"]
    assert strict().post(checkout, {"action": "pay"}).status_code == 403
    assert Donation.objects.get().status == Donation.Status.PENDING


def test_sign_in_request_without_a_token_sends_nothing():
    supporter_user("member@example.com")
    assert strict().post("/account/login/", {"email": "member@example.com"}).status_code == 403
    assert not SignInToken.objects.exists() and not Email.objects.exists() and mail.outbox == []


def test_sign_in_link_without_a_token_signs_nobody_in():
    _, supporter, _ = supporter_user("member@example.com")
    token = SignInToken.issue(supporter)
    client = strict()
    assert client.post(f"/account/login/{token}/").status_code == 403
    assert SignInToken.objects.usable().filter(token_hash=SignInToken.hash(token)).exists()
    assert client.get("/account/").status_code == 302  # still signed out


def test_comment_address_confirmation_without_a_token_confirms_nothing():
    client = strict()
    assert client.post(f"/comments/confirm/{confirmation_token('a@example.com')}/").status_code == 403
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/plans/{plan}/cancel/", {}),
        ("/account/plans/{plan}/amount/", {"plan{plan}-amount": "50"}),
        ("/account/plans/{plan}/card/", {}),
        ("/account/details/", {"name": "Changed"}),
        ("/account/delete/", {"confirm": "delete"}),
        ("/account/logout/", {}),
    ],
)
def test_account_changes_without_a_token_change_nothing(path, data):
    user, supporter, plan = supporter_user("member@example.com", "Member")
    client = strict(user)
    fill = {"plan": plan.pk}
    response = client.post(path.format(**fill), {k.format(**fill): v for k, v in data.items()})
    assert response.status_code == 403
    plan.refresh_from_db()
    supporter.refresh_from_db()
    assert (plan.amount_pence, plan.status, plan.cancel_at_period_end) == (500, Plan.Status.ACTIVE, False)
    assert (supporter.name, supporter.erased_at) == ("Member", None)
    assert client.get("/account/").status_code == 200  # still signed in


def test_admin_forms_without_a_token_store_nothing():
    editor = staff_user("Editor")
    user = get_user_model().objects.get(pk=editor.pk)
    login = strict().post("/admin/login/", {"username": "editor", "password": "a-long-test-password-1"})
    assert login.status_code == 403
    client = strict(user)
    assert (
        client.post("/admin/articles/section/add/", {"name": "Sneaky", "slug": "sneaky"}).status_code == 403
    )
    assert not Section.objects.filter(slug="sneaky").exists()
    article = make_article("Waiting", comments="open")
    comment = Comment.objects.create(article=article, name="A", email="a@example.com", body="Hi")
    moderator = strict(staff_user("Moderator"))
    response = moderator.post(
        "/admin/articles/comment/", {"action": "approve", "_selected_action": [comment.pk]}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_stripe_webhook_is_checked_by_signature_not_csrf(settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret"
    response = strict().post("/support/stripe/webhook/", data="{}", content_type="application/json")
    assert response.status_code == 400  # no Stripe-Signature: refused, and not for want of a CSRF token
