"""The call-to-action form: sections and tags typed by name, only the fields that fit, a preview."""

import pytest
from django.test import Client

from articles.factories import make_article, make_section
from supporters.models import CallToAction
from tests.editorial_helpers import signed_in, staff

pytestmark = pytest.mark.django_db
ADD = "/admin/supporters/calltoaction/add/"
PREVIEW = "/admin/supporters/calltoaction/preview/"


def appeal_fields(**changes):
    fields = {
        "name": "Housing appeal",
        "placement": "end",
        "after_paragraph": "4",
        "headline": "Housing reporting needs you",
        "text": "",
        "button_label": "Support us",
        "link": "/support/",
        "audience": "non_members",
        "sections": "",
        "tags": "",
        "weight": "1",
        "enabled": "on",
    }
    return {**fields, **changes}


def test_sections_and_tags_are_typed_by_name_whatever_the_case(as_editor):
    make_section("Housing")
    make_section("Culture")
    make_article("Rents", tags=["Rent strike", "Council"])
    response = as_editor.post(ADD, appeal_fields(sections="housing", tags="rent strike, Council"))
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = CallToAction.objects.get()
    assert [section.name for section in appeal.sections.all()] == ["Housing"]
    assert sorted(tag.name for tag in appeal.tags.all()) == ["Council", "Rent strike"]


def test_a_name_that_is_no_section_is_refused_with_its_name_and_nothing_saved(as_editor):
    make_section("Housing")
    page = as_editor.post(ADD, appeal_fields(sections="Housing, Sport")).content.decode()
    assert "There is no section called “Sport”" in page
    assert not CallToAction.objects.exists()


def test_the_form_shows_saved_sections_and_tags_as_their_names(as_editor):
    housing = make_section("Housing")
    make_article("Rents", tags=["Rent strike"])
    appeal = CallToAction.objects.create(name="x", placement="end", headline="Give")
    appeal.sections.add(housing)
    appeal.tags.add(*appeal.tags.model.objects.filter(name="Rent strike"))
    page = as_editor.get(f"/admin/supporters/calltoaction/{appeal.pk}/change/").content.decode()
    assert 'name="sections" value="Housing"' in page
    assert 'name="tags" value="Rent strike"' in page


def test_a_banner_keeps_no_sections_or_tags_that_would_stop_it_ever_showing(as_editor):
    # The banner has no story to match: a section on it would hide it from every page.
    make_section("Housing")
    response = as_editor.post(ADD, appeal_fields(placement="banner", sections="Housing"))
    assert response.status_code == 302
    assert not CallToAction.objects.get().sections.exists()


def test_the_form_says_which_placements_each_field_fits(as_editor):
    page = as_editor.get(ADD).content.decode()
    assert "data-applies-to=" in page and "&quot;after_paragraph&quot;: [&quot;inline&quot;]" in page
    assert 'data-suggest-url="/admin/supporters/calltoaction/suggestions/sections/"' in page
    assert "js/appeal-form.js" in page


def test_suggestions_offer_sections_and_tags_by_part_of_their_name(as_editor):
    make_section("Housing")
    make_section("Health")
    make_article("Rents", tags=["Housing benefit"])
    sections = as_editor.get("/admin/supporters/calltoaction/suggestions/sections/", {"q": "h"}).json()
    assert sections == {"tags": ["Health", "Housing"]}
    tags = as_editor.get("/admin/supporters/calltoaction/suggestions/tags/", {"q": "benef"}).json()
    assert tags == {"tags": ["Housing benefit"]}
    assert as_editor.get("/admin/supporters/calltoaction/suggestions/users/", {"q": "a"}).status_code == 404


def test_the_preview_draws_the_unsaved_words_escaped_at_their_place(as_editor):
    page = as_editor.post(
        PREVIEW,
        {
            "placement": "inline",
            "after_paragraph": "2",
            "headline": "<b>Keep us</b> going",
            "text": "Please.",
        },
    ).content.decode()
    assert "&lt;b&gt;Keep us&lt;/b&gt; going" in page and "<b>Keep us" not in page
    assert "appeals--inline" in page and "after paragraph 2" in page
    assert "css/site.css" in page
    assert not CallToAction.objects.exists()


def test_only_people_who_may_edit_appeals_get_a_preview():
    moderator = signed_in(staff("mo", "Moderator"))
    assert moderator.post(PREVIEW, {"placement": "end", "headline": "x"}).status_code == 403
    assert Client().post(PREVIEW, {"placement": "end", "headline": "x"}).status_code == 302
