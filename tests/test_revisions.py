"""Every save in the newsroom keeps a version; the history shows diffs and restores one whole."""

import pytest
from django.test import Client

from articles.admin.history import text_blocks, text_diff
from articles.factories import make_article, make_author, make_section
from articles.models import ActionLink, ArticleRevision
from tests.editorial_helpers import CHANGE, article_form, form_errors, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return staff("eddie", "Editor")


@pytest.fixture
def as_editor(editor):
    client = Client()
    client.force_login(editor)
    return client


def save(client, article, **changes):
    article.refresh_from_db()
    response = client.post(CHANGE.format(article.pk), article_form(article, **changes))
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    return article


def test_each_admin_save_keeps_who_when_and_a_full_snapshot(as_editor, editor):
    article = make_article(
        "Ferry fares", tags=["Transport"], action_links=[("Sign the petition", "https://example.org/p")]
    )
    save(as_editor, article, body="<p>Fares rise by a third.</p>")
    revision = article.revisions.first()
    assert revision.created_by == editor
    assert revision.version == article.version
    snap = revision.snapshot
    assert snap["headline"] == "Ferry fares" and snap["body"] == "<p>Fares rise by a third.</p>"
    assert snap["tags"] == ["Transport"]
    assert snap["authors"] == [{"id": article.authors.get().pk, "name": "Staff Reporter"}]
    assert snap["action_links"] == [
        {"label": "Sign the petition", "url": "https://example.org/p", "position": 0}
    ]
    assert snap["section"]["name"] == "News" and snap["status"] == "published" and snap["published_at"]
    assert "body" in revision.note


def test_the_first_edit_of_an_imported_article_can_be_undone(as_editor):
    article = make_article("Imported", body="<p>As it came from WordPress.</p>", tags=["Old"])
    save(as_editor, article, body="<p>Rewritten.</p>", tags="New,")
    original, edit = article.revisions.order_by("created_at", "pk")
    assert original.created_by is None and original.snapshot["body"] == "<p>As it came from WordPress.</p>"
    assert edit.snapshot["body"] == "<p>Rewritten.</p>" and edit.snapshot["tags"] == ["New"]
    as_editor.post(f"/admin/articles/article/{article.pk}/revisions/{original.pk}/restore/")
    article.refresh_from_db()
    assert article.body == "<p>As it came from WordPress.</p>" and list(article.tags.names()) == ["Old"]


def test_history_shows_a_readable_escaped_diff(as_editor):
    article = make_article("Ferry fares", body="<p>Fares rise by a third.</p><p>Unchanged.</p>")
    save(as_editor, article)
    save(as_editor, article, body="<p>Fares rise by a half &lt;script&gt;.</p><p>Unchanged.</p>")
    page = as_editor.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "<del>third.</del><ins>half &lt;script&gt;.</ins>" in page
    assert "&lt;script&gt;" in page and "<script>." not in page
    assert "Restore this version" in page


def test_restore_brings_back_body_authors_tags_and_links_together_as_a_new_version(as_editor, editor):
    old_author, new_author = make_author("Ann Old"), make_author("Nat New")
    article = make_article(
        "Rents",
        body="<p>The first draft.</p>",
        authors=[old_author],
        tags=["Housing", "Rent"],
        action_links=[("Join the union", "https://example.org/union")],
    )
    save(as_editor, article)
    first = article.revisions.first()
    # Everything changes in a later save.
    article.authors.set([new_author])
    article.tags.set(["Elections"])
    ActionLink.objects.filter(article=article).update(label="Vote", url="https://example.org/vote")
    save(
        as_editor,
        article,
        body="<p>A rewrite.</p>",
        headline="Rents again",
        section=make_section("Opinion").pk,
    )
    versions_before = article.revisions.count()

    response = as_editor.post(f"/admin/articles/article/{article.pk}/revisions/{first.pk}/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>The first draft.</p>" and article.headline == "Rents"
    assert list(article.authors.all()) == [old_author]
    assert sorted(article.tags.names()) == ["Housing", "Rent"]
    assert [(link.label, link.url) for link in article.action_links.all()] == [
        ("Join the union", "https://example.org/union")
    ]
    assert article.section.name == "News"
    assert article.revisions.count() == versions_before + 1
    newest = article.revisions.first()
    assert newest.action == ArticleRevision.Action.RESTORED and newest.created_by == editor
    assert newest.version == article.version > first.version
    assert newest.note.startswith(f"version {first.version} of ")


def test_restore_needs_a_post_and_change_permission(as_editor):
    article = make_article("Rents")
    save(as_editor, article)
    revision = article.revisions.first()
    url = f"/admin/articles/article/{article.pk}/revisions/{revision.pk}/restore/"
    assert as_editor.get(url).status_code == 405
    contributor = Client()
    contributor.force_login(staff("connie", "Contributor", byline=True))
    assert contributor.post(url).status_code == 403


def test_restore_keeps_publication_as_it_is_now(as_editor):
    article = make_article("Was a draft", status="draft")
    save(as_editor, article)
    draft_version = article.revisions.first()
    save(as_editor, article, status="published")
    as_editor.post(f"/admin/articles/article/{article.pk}/revisions/{draft_version.pk}/restore/")
    article.refresh_from_db()
    assert article.is_published


def test_text_diff_folds_unchanged_paragraphs_and_escapes():
    old = text_blocks("<p>a</p><p>b</p><p>c</p><p>d</p><p>e &amp; f</p>", is_html=True)
    new = text_blocks("<p>a</p><p>b</p><p>c</p><p>d</p><p>e &amp; <b>g</b></p>", is_html=True)
    diff = str(text_diff(old, new))
    assert "unchanged paragraphs" in diff
    assert "e &amp; <del>f</del><ins>g</ins>" in diff
    assert text_blocks('<figure><img src="/media/x.jpg" alt="A &quot;march&quot;"></figure>', True) == [
        '[Picture: A "march"]'
    ]
