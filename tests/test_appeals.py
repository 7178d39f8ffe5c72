"""Calls to action and house ads: the right appeal to the right reader, and what it brought in."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.factories import make_article, make_image, make_section
from canary import page_cache
from supporters.models import AdSlot, CallToAction, Click, Donation, HouseAd
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db

LONG_BODY = "".join(f"<p>Paragraph {n}.</p>" for n in range(1, 9))


def call(**fields):
    defaults = {
        "name": fields.get("headline", "Appeal"),
        "placement": "end",
        "headline": "Appeal",
        "link": "/support/",
    }
    return CallToAction.objects.create(**{**defaults, **fields})


def page(client, url):
    return client.get(url).content.decode()


def test_no_live_appeal_leaves_the_place_empty(anonymous):
    article = make_article("Quiet day")
    text = page(anonymous, article.get_absolute_url())
    assert 'class="appeals' not in text
    assert anonymous.get("/").status_code == 200


def test_appeals_show_in_their_own_place(anonymous):
    call(headline="Banner words", placement="banner")
    call(headline="End words", placement="end")
    article = make_article("Story")
    text = page(anonymous, article.get_absolute_url())
    assert text.index("Banner words") < text.index("<h1") < text.index("End words")
    assert "End words" not in page(anonymous, "/latest/")


def test_heaviest_candidate_shows_without_javascript_and_the_rest_wait(anonymous):
    call(headline="Light", weight=1)
    call(headline="Heavy", weight=5)
    text = page(anonymous, make_article("Story").get_absolute_url())
    tags = {label: tag for tag, label in re.findall(r'(<aside [^>]*aria-label="(\w+)"[^>]*>)', text)}
    assert " hidden" not in tags["Heavy"]
    assert tags["Light"].endswith(" hidden>")
    assert text.index("Heavy") < text.index("Light")


def test_dates_decide_what_is_live(anonymous):
    now = timezone.now()
    call(headline="Finished", active_until=now - timedelta(minutes=1))
    call(headline="Not yet", active_from=now + timedelta(hours=1))
    call(headline="Running now", active_from=now - timedelta(hours=1), active_until=now + timedelta(hours=1))
    text = page(anonymous, make_article("Story").get_absolute_url())
    assert "Running now" in text and "Finished" not in text and "Not yet" not in text


def test_cached_page_expires_when_an_appeal_starts():
    call(headline="Starts soon", active_from=timezone.now() + timedelta(seconds=45))
    assert page_cache.seconds_to_live(page_cache.current_generation()) <= 45


def test_targeting_by_section_and_tag(anonymous):
    environment = make_section("Environment")
    targeted = call(headline="Climate appeal")
    targeted.sections.add(environment)
    tagged = call(headline="Housing appeal")
    green = make_article("Flood defences", section=environment)
    housing = make_article("Rent strike", section=make_section("News"), tags=["Housing"])
    from taggit.models import Tag

    tagged.tags.add(Tag.objects.get(name="Housing"))
    assert "Climate appeal" in page(anonymous, green.get_absolute_url())
    assert "Housing appeal" not in page(anonymous, green.get_absolute_url())
    assert "Housing appeal" in page(anonymous, housing.get_absolute_url())
    assert "Climate appeal" not in page(anonymous, housing.get_absolute_url())


def test_inline_appeal_sits_after_the_chosen_paragraph_never_inside_a_quote(anonymous):
    call(headline="Inline ask", placement="inline", after_paragraph=2)
    body = "<p>One.</p><blockquote><p>Quoted.</p><p>Still quoted.</p></blockquote><p>Two.</p><p>Three.</p>"
    text = page(anonymous, make_article("Quotes", body=body).get_absolute_url())
    assert text.index("Two.") < text.index("Inline ask") < text.index("Three.")


def test_read_on_break_only_in_long_articles(anonymous):
    call_command("seed_appeals", verbosity=0)
    long = make_article("Long read", body=LONG_BODY)
    short = make_article("Short", body="<p>One.</p><p>Two.</p>")
    text = page(anonymous, long.get_absolute_url())
    assert "Read on…" in text
    assert text.index("Paragraph 3.") < text.index("Read on…") < text.index("Paragraph 4.")
    assert "Read on…" not in page(anonymous, short.get_absolute_url())


def test_members_see_no_ads_no_appeals_and_only_member_calls(client, django_capture_on_commit_callbacks):
    call_command("seed_appeals", verbosity=0)
    article = make_article("Long read", body=LONG_BODY)
    give(client)
    client.get(f"/support/thanks/?donation={Donation.objects.latest('id').pk}")
    text = page(client, article.get_absolute_url())
    assert "Read on…" not in text
    assert "Support us and go ad-free" not in text
    assert "/go/c/" in text  # the members' call
    assert "Thank you for being a member" in text
    member_call = CallToAction.objects.get(audience="members")
    member_call.link = "/support/"
    with django_capture_on_commit_callbacks(execute=True):  # the appeals are forgotten on commit
        member_call.save()
    assert "Thank you for being a member" not in page(client, article.get_absolute_url())


def test_click_redirect_counts_and_forwards_with_attribution(anonymous):
    appeal = call(headline="Give")
    article = make_article("Story")
    response = anonymous.get(f"/go/c/{appeal.pk}/?a={article.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/support/?cta={appeal.pk}&from={article.pk}"
    anonymous.get(f"/go/c/{appeal.pk}/?a={article.pk}")
    assert Click.objects.get(kind="cta", object_id=appeal.pk, article_id=article.pk).count == 2
    assert not response.cookies


@pytest.mark.parametrize("which", ["missing", "draft", "withdrawn"])
def test_a_click_naming_an_article_readers_cannot_see_credits_no_article(anonymous, which):
    appeal = call(headline="Give")
    if which == "missing":
        article_id = 99999999
    else:
        article = make_article("Not out", status="draft" if which == "draft" else "published")
        if which == "withdrawn":
            article.withdrawn_at = timezone.now()
            article.save()
        article_id = article.pk
    response = anonymous.get(f"/go/c/{appeal.pk}/?a={article_id}")
    assert response["Location"] == f"/support/?cta={appeal.pk}"  # the reader still gets there
    assert list(Click.objects.values_list("article_id", "count")) == [(0, 1)]


def test_clicks_over_the_limit_still_forward_but_are_not_counted(anonymous, settings, fresh_minute):
    settings.CLICK_RATE_LIMIT = 2
    appeal = call(headline="Give")
    article = make_article("Story")
    for _ in range(4):
        response = anonymous.get(f"/go/c/{appeal.pk}/?a={article.pk}", REMOTE_ADDR="198.51.100.7")
        assert response["Location"] == f"/support/?cta={appeal.pk}&from={article.pk}"
    anonymous.get(f"/go/c/{appeal.pk}/?a={article.pk}", REMOTE_ADDR="198.51.100.8")
    assert Click.objects.get(article_id=article.pk).count == 3  # two from the first address, one more


@pytest.mark.parametrize(
    "url", ["/go/c/999/", "/go/a/999/", "/go/x/1/", "/go/c/1/?next=https://evil.example"]
)
def test_click_redirect_refuses_unknown_targets(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 404
    assert "evil.example" not in response.get("Location", "")


def test_appeal_link_must_be_ours_or_a_full_web_address():
    from django.core.exceptions import ValidationError

    for bad in ("javascript:alert(1)", "//evil.example/x", "data:text/html,x"):
        with pytest.raises(ValidationError):
            CallToAction(name="x", placement="end", headline="x", link=bad).full_clean()


def test_attribution_survives_the_dev_checkout(client):
    appeal = call(headline="Give")
    article = make_article("Story")
    response = client.get(f"/go/c/{appeal.pk}/?a={article.pk}")
    form = page(client, response["Location"])
    assert f'name="cta" value="{appeal.pk}"' in form and f'name="from" value="{article.pk}"' in form
    donation, _ = give(client, cta=str(appeal.pk), **{"from": str(article.pk)})
    donation.refresh_from_db()
    assert (donation.call_to_action_id, donation.article_id, donation.status) == (
        appeal.pk,
        article.pk,
        "paid",
    )


def test_report_shows_clicks_gifts_money_and_members_per_appeal_and_article():
    appeal = call(headline="Spring appeal", name="Spring appeal")
    article = make_article("The story that moved people")
    reader = Client()
    for _ in range(3):
        reader.get(f"/go/c/{appeal.pk}/?a={article.pk}")
    give(Client(), amount="5", email="one@example.com", cta=str(appeal.pk), **{"from": str(article.pk)})
    give(
        Client(),
        amount="20",
        frequency="one_off",
        email="two@example.com",
        cta=str(appeal.pk),
        **{"from": str(article.pk)},
    )
    give(Client(), amount="7", frequency="one_off", email="three@example.com", cta=str(appeal.pk), pay=False)
    editor = get_user_model().objects.create_user("ed", "ed@example.com", "pw-long-enough-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    admin = Client()
    admin.force_login(editor)
    text = page(admin, "/admin/supporters/calltoaction/report/")
    row = text[text.index("<td>Spring appeal</td>") :].split("</tr>")[0]
    assert row == "<td>Spring appeal</td><td>3</td><td>2</td><td>£25</td><td>2</td>"
    article_row = text[text.index("<td>The story that moved people</td>") :].split("</tr>")[0]
    assert article_row == "<td>The story that moved people</td><td>3</td><td>2</td><td>£25</td><td>2</td>"


def test_house_ads_fill_list_pages_for_non_members(anonymous):
    slot = AdSlot.objects.create(placement="end_of_list")
    HouseAd.objects.create(
        slot=slot, name="Book club", image=make_image(alt_text="Join the book club"), link="/about/"
    )
    make_article("Story")
    text = page(anonymous, "/latest/")
    assert 'alt="Join the book club"' in text
    assert 'rel="sponsored"' in text


def test_report_refuses_dates_out_of_range_with_a_message_not_an_error_page():
    from tests.security_helpers import staff_user

    admin = Client()
    admin.force_login(staff_user("Finance"))
    response = admin.get("/admin/supporters/calltoaction/report/?start=9999-12-31&end=9999-12-31")
    assert response.status_code == 200
    assert "Choose a date between 1990 and 2200." in response.content.decode()


def test_the_admin_names_them_calls_to_action():
    from tests.security_helpers import staff_user

    admin = Client()
    admin.force_login(staff_user("Editor"))
    page = admin.get("/admin/").content.decode()
    assert "Calls to action" in page and "Call to actions" not in page
