"""The article form for writing: counts against what search results and social cards show under
the headline and standfirst, and a contributor's story in review shown read-only, its body as
readers will see it, with a line saying why it is locked."""

import pytest

from articles.factories import make_article
from articles.models import Article
from tests.editorial_helpers import CHANGE, article_form, signed_in, staff
from tests.security_helpers import SCRIPT

pytestmark = pytest.mark.django_db

BODY = "<p>Tenants held <strong>the line</strong> for six weeks.</p>"


def test_the_headline_and_standfirst_carry_their_counts_and_the_script_that_shows_them(as_editor):
    story = make_article("Bins strike", status=Article.Status.DRAFT)
    page = as_editor.get(CHANGE.format(story.pk)).content.decode()
    assert 'id="id_headline"' in page and 'data-count-limit="60"' in page
    assert 'data-count-limit="160"' in page and 'data-count-where="search results and social cards"' in page
    assert "/static/js/character-count.js" in page
    # A guide, not a limit: a long headline saves.
    long = "A headline far longer than any search result shows, about the council's budget vote tonight"
    response = as_editor.post(CHANGE.format(story.pk), article_form(story, headline=long))
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).headline == long


@pytest.fixture
def contributor():
    return staff("cora", "Contributor", byline=True)


def test_a_contributors_story_in_review_shows_its_body_as_readers_see_it_and_why_it_is_locked(contributor):
    story = make_article("Ferry fares", status=Article.Status.DRAFT, created_by=contributor, body=BODY)
    story.submit_for_review(by=contributor)
    client = signed_in(contributor)
    page = client.get(CHANGE.format(story.pk)).content.decode()
    assert "Locked while an editor reviews it" in page
    assert (
        '<div class="locked-body"><p>Tenants held <strong>the line</strong> for six weeks.</p></div>' in page
    )
    assert "&lt;strong&gt;" not in page
    assert 'name="body"' not in page  # no editor to type into
    # A post anyway is refused, and the story is as it was.
    response = client.post(CHANGE.format(story.pk), article_form(story, body="<p>Changed</p>"))
    assert response.status_code == 403
    assert Article.objects.get(pk=story.pk).body == BODY


def test_the_locked_body_is_the_sanitized_one(contributor):
    story = make_article(
        "Ferry fares", status=Article.Status.DRAFT, created_by=contributor, body=f"<p>Hi</p>{SCRIPT}"
    )
    story.submit_for_review(by=contributor)
    page = signed_in(contributor).get(CHANGE.format(story.pk)).content.decode()
    assert "Locked while an editor reviews it" in page
    assert SCRIPT not in page


def test_an_editor_gets_the_editor_not_the_locked_body(as_editor, contributor):
    story = make_article("Ferry fares", status=Article.Status.DRAFT, created_by=contributor, body=BODY)
    story.submit_for_review(by=contributor)
    page = as_editor.get(CHANGE.format(story.pk)).content.decode()
    assert "Locked" not in page and 'name="body"' in page
