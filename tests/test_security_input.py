"""Malformed input (huge bodies, bad encodings, bad dates, absurd amounts, NUL bytes): a 4xx, never a 500."""

import pytest
from django.test import Client

from articles.factories import make_article
from articles.models import Comment
from supporters.models import CallToAction, Donation, Plan, SignInToken
from tests.security_helpers import signed_in, staff_user, supporter_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.COMMENT_MIN_SECONDS = 0


def never_500(client):
    """A client that answers a server error with a 500 page, as production does, instead of raising."""
    client.raise_request_exception = False
    return client


def call(link):
    return CallToAction.objects.create(name="Appeal", placement="banner", headline="Help", link=link)


# --- Malformed input ------------------------------------------------------------------------------


@pytest.fixture
def article():
    return make_article("Open for comments", comments="open")


def comment_data(client, **fields):
    from tests.comment_helpers import stamp

    return {
        "name": "Ada",
        "email": "ada@example.com",
        "body": "Fair point.",
        "rendered": stamp(client),
        **fields,
    }


def support_data(**fields):
    return {
        "frequency": "one_off",
        "amount": "5",
        "name": "Kim",
        "email": "kim@example.com",
        "consent": "on",
        **fields,
    }


def forms(article, client):
    """Every form a reader can post that would store something: (url, good data from this client)."""
    return {
        "comment": (f"/comments/{article.pk}/post/", comment_data(client)),
        "preview": (f"/comments/{article.pk}/preview/", comment_data(client)),
        "support": ("/support/", support_data()),
        "sign-in": ("/account/login/", {"email": "kim@example.com"}),
    }


def nothing_stored():
    return not Comment.objects.exists() and not Donation.objects.exists() and not SignInToken.objects.exists()


@pytest.mark.parametrize("form", ["comment", "preview", "support", "sign-in"])
def test_a_body_over_the_upload_limit_is_refused_with_a_clear_page(article, form, settings):
    client = never_500(Client())
    url, data = forms(article, client)[form]
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(url, {**data, "body" if form in ("comment", "preview") else "name": huge})
    assert response.status_code == 413
    page = response.content.decode()
    assert "more than we can take at once" in page and "2.5\xa0MB" in page and "nothing was saved" in page
    assert f"{settings.SITE_NAME} is an independent" in page  # in the site's usual frame
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(url, {**data, **fields})
    assert response.status_code == 413
    assert "1,000 fields" in response.content.decode()
    assert nothing_stored()


def test_a_webhook_body_over_its_limit_is_refused(settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"
    response = Client().post(
        "/support/stripe/webhook/",
        data="x" * 300_000,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1",
    )
    assert response.status_code == 413


@pytest.mark.parametrize("form", ["comment", "preview", "support", "sign-in"])
def test_invalid_utf8_in_form_fields_is_read_not_crashed_on(article, form):
    client = never_500(Client())
    url, data = forms(article, client)[form]
    body = "&".join(f"{name}={value}" for name, value in data.items() if name != "rendered")
    raw = (body + "&name=%FF%FE%C0%AF&email=%FFk@example.com&amount=%FF").encode()
    response = client.post(url, raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 403), response.status_code  # 403: the comment form's stamp is gone
    assert nothing_stored()
    bogus = client.generic("POST", url, body, "application/x-www-form-urlencoded; charset=no-such")
    assert bogus.status_code < 500
    broken = client.post(url, b"--x\r\nbroken", content_type="multipart/form-data; boundary=")
    assert broken.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%FF%FE%C0%AF",
        "/support/?from=%FF&cta=%C0",
        "/support/thanks/?donation=%FF",
        "/account/login/?email=%FF%FE",
        "/go/c/1/?a=%FF",
        "/section/%FF%FE/",
        "/tag/%C0%AF/",
        "/latest/?page=%FF",
    ],
)
def test_invalid_utf8_in_addresses_gets_a_page_or_a_404(anonymous, article, url):
    response = never_500(anonymous).get(url)
    assert response.status_code in (200, 302, 404), response.status_code


def test_raw_bytes_in_the_query_string_are_read_not_crashed_on(anonymous, article):
    response = never_500(anonymous).get("/search/", QUERY_STRING="q=\xff\xfe\x80")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/archive/2025/02/", 404),  # a real month, but nothing was published in it
        ("/archive/0000/00/", 404),
        ("/archive/2025/13/", 404),
        ("/archive/2025/00/", 404),
        ("/archive/9999/12/", 404),
        ("/2025/02/30/no-such-story/", 404),
        ("/2025/13/45/no-such-story/", 404),
        ("/0000/00/00/no-such-story/", 404),
    ],
)
def test_invalid_dates_are_not_found(anonymous, url, status):
    assert never_500(anonymous).get(url).status_code == status


def test_a_real_story_under_an_impossible_date_moves_to_its_own(anonymous, article):
    response = anonymous.get(f"/2025/02/30/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


BAD_AMOUNTS = {
    "-1": "can’t be negative",
    "-0.01": "can’t be negative",
    "1e400": "Enter an amount in pounds",
    "99999999999999999999": "largest gift we can take online",
    "9" * 400: "Enter an amount in pounds",
    "NaN": "Enter an amount in pounds",
    "Infinity": "Enter an amount in pounds",
    "0x10": "Enter an amount in pounds",
    "12.5.5": "Enter an amount in pounds",
    "£": "Enter an amount in pounds",
    "²": "Enter an amount in pounds",
}


@pytest.mark.parametrize("amount", list(BAD_AMOUNTS))
def test_negative_or_enormous_amounts_are_refused_with_a_message(client, amount):
    response = never_500(client).post("/support/", support_data(amount=amount))
    assert response.status_code == 400
    page = response.content.decode()
    assert BAD_AMOUNTS[amount] in page or "at most 20 characters" in page
    assert not Donation.objects.exists()


@pytest.mark.parametrize("amount", list(BAD_AMOUNTS))
def test_a_plans_new_amount_is_checked_the_same_way(amount):
    user, _, plan = supporter_user()
    client = never_500(signed_in(user))
    response = client.post(
        f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": amount}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert BAD_AMOUNTS[amount] in page or "at most 20 characters" in page
    plan.refresh_from_db()
    assert plan.amount_pence == 500


NUL_FIELDS = {
    "comment": ["name", "email", "body", "rendered", "website", "parent"],
    "preview": ["name", "email", "body", "website", "parent"],
    "support": ["frequency", "amount", "name", "email", "consent", "from", "cta"],
    "sign-in": ["email"],
}


@pytest.mark.parametrize(
    ("form", "field"), [(form, field) for form, fields in NUL_FIELDS.items() for field in fields]
)
def test_a_nul_byte_in_any_field_is_refused_or_dropped_and_never_stored(article, form, field):
    client = never_500(Client())
    url, data = forms(article, client)[form]
    value = data.get(field, "1") or "1"
    response = client.post(url, {**data, field: value[:1] + "\x00" + value[1:]})
    assert response.status_code < 500, response.status_code
    for comment in Comment.objects.all():
        assert "\x00" not in comment.name + comment.email + comment.body
    for donation in Donation.objects.select_related("supporter"):
        assert "\x00" not in donation.supporter.name + donation.supporter.email
    if field in ("name", "email", "body", "amount"):
        assert response.status_code == 400
        assert "Null characters are not allowed" in response.content.decode()
        assert nothing_stored()


def test_a_nul_byte_in_account_fields_changes_nothing():
    user, supporter, plan = supporter_user(name="Member")
    client = never_500(signed_in(user))
    assert client.post("/account/details/", {"name": "Mem\x00ber"}).status_code == 302
    client.post(f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": "5\x000"})
    supporter.refresh_from_db()
    plan.refresh_from_db()
    assert supporter.name == "Member" and plan.amount_pence == 500


@pytest.mark.parametrize(
    "url",
    [
        "/no-such%00page/",
        "/about/x%00y/",
        "/tag/a%00/",
        "/sitemap-a%00b.xml",
        "/account/login/%00token/",
        "/comments/confirm/%00token/",
        "/preview/share/%00token/",
        "/search/?q=a%00b",
        "/latest/?page=%00",
        "/go/c/1/?a=%00",
        "/support/?from=%00&cta=%00",
        "/support/thanks/?donation=%00",
    ],
)
def test_a_nul_byte_in_an_address_gets_a_4xx_or_a_page(anonymous, article, url):
    response = never_500(anonymous).get(url)
    assert response.status_code in (200, 400, 404), response.status_code
    if "%00" in url.split("?")[0]:
        assert response.status_code in (400, 404)


def test_a_nul_byte_in_an_admin_filter_is_a_bad_request():
    client = never_500(signed_in(staff_user("Editor")))
    response = client.get("/admin/articles/article/?status__exact=%00")
    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=" + "word " * 20_000,
        "/?utm_source=" + "x" * 100_000,
        "/latest/?page=" + "9" * 10_000,
        "/support/?from=" + "9" * 10_000 + "&cta=" + "9" * 10_000,
        "/support/thanks/?donation=" + "9" * 10_000,
        "/go/c/1/?a=" + "9" * 10_000,
        "/account/login/?email=" + "a" * 100_000,
        "/support/thanks/?donation=²",
        "/go/c/1/?a=²",
        "/support/?from=²&cta=³",
    ],
)
def test_absurd_query_strings_get_a_page_or_a_404(anonymous, article, url):
    call("/support/")  # so /go/c/1/ has somewhere to go
    response = never_500(anonymous).get(url)
    assert response.status_code in (200, 302, 404), response.status_code


def test_a_very_long_search_is_cut_and_the_reader_told(anonymous):
    response = anonymous.get("/search/", {"q": "word " * 20_000})
    assert response.status_code == 200
    assert "Your search was very long" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/go/c/99999999999999999999999999/"),
        ("GET", "/go/a/99999999999999999999999999/"),
        ("POST", "/comments/99999999999999999999999999/post/"),
        ("POST", "/comments/99999999999999999999999999/preview/"),
        ("GET", "/comments/1/reply/99999999999999999999999999/"),
        ("POST", "/account/plans/99999999999999999999999999/cancel/"),
        ("GET", "/preview/99999999999999999999999999/"),
    ],
)
def test_enormous_ids_in_addresses_are_not_found(method, url):
    user, _, _ = supporter_user()
    client = never_500(signed_in(user))
    response = client.get(url) if method == "GET" else client.post(url, {"x": "1"})
    assert response.status_code in (302, 403, 404), response.status_code  # 403: previews are for staff


def test_an_enormous_reply_target_posts_a_top_level_comment(client, article):
    response = never_500(client).post(f"/comments/{article.pk}/post/", comment_data(client, parent="9" * 30))
    assert response.status_code in (302, 400)
    assert all(comment.parent_id is None for comment in Comment.objects.all())


def test_plan_ids_of_other_people_are_not_found():
    _, _, plan = supporter_user("one@example.com")
    other, _, _ = supporter_user("two@example.com")
    response = signed_in(other).post(f"/account/plans/{plan.pk}/cancel/")
    assert response.status_code == 404
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ACTIVE


def test_searches_are_rate_limited_per_address_and_the_refusal_is_never_cached(settings, fresh_minute):
    settings.SEARCH_RATE_LIMIT = 3
    make_article("Council budget")
    client = Client()
    for word in ("council", "budget", "rent"):
        assert client.get("/search/", {"q": word}).status_code == 200
    refused = client.get("/search/", {"q": "strike"})
    assert refused.status_code == 429
    assert "Too many searches" in refused.content.decode() and refused["Retry-After"] == "60"
    assert "no-store" in refused["Cache-Control"]
    assert client.get("/search/", {"q": "council"}).status_code == 200  # from the page cache: no query run
    other = client.get("/search/", {"q": "strike"}, REMOTE_ADDR="192.0.2.44")
    assert other.status_code == 200
