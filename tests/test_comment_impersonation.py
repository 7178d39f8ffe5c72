"""Names that imitate the newsroom wait for a moderator, whoever posts them; supporters cannot take one."""

import pytest
from django.contrib.auth import get_user_model

from articles.commenting import SESSION_KEY
from articles.factories import make_article
from articles.models import Author, Comment
from supporters.models import Supporter
from tests.comment_helpers import post
from tests.security_helpers import sign_in_by_link, supporter_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def newsroom(settings):
    settings.COMMENT_MIN_SECONDS = 0
    settings.SITE_NAME = "The Canary"
    get_user_model().objects.create_user(
        "dana",
        "dana@example.org",
        "pw-long-enough-123",
        first_name="Dana",
        last_name="Whitfield",
        is_staff=True,
    )
    Author.objects.create(name="Rosa Marchetti", slug="rosa-marchetti")


@pytest.fixture
def article():
    return make_article("Open for discussion", comments="open")


@pytest.fixture
def regular(client, article):
    """A reader whose comments show at once: address confirmed here, a comment approved before."""
    Comment.objects.create(
        article=article, name="Regular", email="regular@example.com", body="old", status="approved"
    )
    session = client.session
    session[SESSION_KEY] = "regular@example.com"
    session.save()
    return client


@pytest.mark.parametrize(
    "name",
    [
        "Demo Editor (The Canary newsroom)",
        "The Canary",
        "TheCanaryNewsroom",
        "ＴＨＥ ＣＡＮＡＲＹ",  # fullwidth
        "Еditоr",  # Cyrillic Е and о
        "E.d.i.t.o.r",
        "Comment moderator",
        "Site admin",
        "Canary staff",
        "Dana Whitfield",
        "dana  WHITFIELD",
        "DanaWhitfield",
        "Dana Whitfie1d",
        "Whitfield, Dana",
        "Dána Whitfíeld",
        "Rosa Marchetti (reader)",
        "R0sa Marchett1",
        "Dana\u200b Whitfield",  # a zero-width space
    ],
)
def test_a_name_that_imitates_the_newsroom_waits_even_from_a_trusted_commenter(regular, article, name):
    response = post(regular, article, name=name, email="regular@example.com", body="Official word.")
    assert response.status_code == 302
    comment = Comment.objects.latest("id")
    assert comment.name == name.strip() and comment.status == Comment.Status.PENDING
    assert "Official word." not in regular.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "name", ["Ada Reader", "Dana", "Sam the creditor", "Staffordshire Sam", "Badminton fan", "Rosa M."]
)
def test_ordinary_names_from_a_trusted_commenter_show_at_once(regular, article, name):
    post(regular, article, name=name, email="regular@example.com")
    assert Comment.objects.latest("id").status == Comment.Status.APPROVED


def test_a_signed_in_supporter_whose_name_imitates_staff_waits(client, article):
    """The name given when paying is the account's: it is checked when they comment too."""
    user, supporter, _ = supporter_user("eve@example.com", name="Dana Whitfield")
    sign_in_by_link(supporter, client)
    post(client, article, body="As your editor, I say so.")
    comment = Comment.objects.get(body="As your editor, I say so.")
    assert comment.name == "Dana Whitfield" and comment.status == Comment.Status.PENDING


@pytest.mark.parametrize("name", ["Demo Editor (The Canary newsroom)", "Dana Whitfield", "R0sa Marchetti"])
def test_a_supporter_cannot_take_a_name_that_imitates_staff(client, name):
    user, supporter, _ = supporter_user("eve@example.com", name="Eve")
    sign_in_by_link(supporter, client)
    response = client.post("/account/details/", {"name": name}, follow=True)
    page = response.content.decode()
    assert "looks like the name of someone in our newsroom" in page
    assert Supporter.objects.get(pk=supporter.pk).name == "Eve"


def test_a_supporter_can_take_an_ordinary_name_and_a_too_long_one_is_refused_as_before(client):
    user, supporter, _ = supporter_user("eve@example.com", name="Eve")
    sign_in_by_link(supporter, client)
    client.post("/account/details/", {"name": "Eve Staffordshire"})
    assert Supporter.objects.get(pk=supporter.pk).name == "Eve Staffordshire"
    page = client.post("/account/details/", {"name": "x" * 121}, follow=True).content.decode()
    assert "Please give a name of up to 120 characters." in page
    assert Supporter.objects.get(pk=supporter.pk).name == "Eve Staffordshire"
