"""Withdrawing an article (410 Gone, gone from everything at once) and corrections under one."""

import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from articles.factories import make_article, make_section
from articles.models import Article, Correction
from tests.editorial_helpers import CHANGE, article_form, form_errors, staff

pytestmark = pytest.mark.django_db

HEADLINE = "Landlord named in court papers"


@pytest.fixture
def editor():
    return staff("eddie", "Editor")


@pytest.fixture
def as_editor(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def story():
    return make_article(HEADLINE, section=make_section("Housing"), tags=["Landlords"])


# {month}: the month the story came out in, filled in by the test.
READER_PAGES = [
    "/",
    "/latest/",
    "/section/housing/",
    "/tag/landlords/",
    "/author/staff-reporter/",
    "/feed/",
    "/section/housing/feed/",
    "/sitemap-articles-{month}.xml",
    "/sitemap-news.xml",
    "/search/?q=landlord",
]


def test_withdrawn_article_answers_410_and_leaves_every_list_feed_sitemap_and_search_at_once(
    as_editor, editor, anonymous, story, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    reader_pages = [path.format(month=f"{story.local_date:%Y-%m}") for path in READER_PAGES]
    # Warm the page cache: the second visit to each page is a hit.
    for path in [url, *reader_pages]:
        anonymous.get(path)
        assert anonymous.get(path).status_code == 200
    assert anonymous.get(url)["X-Cache"] == "hit"
    # Every one of them links to it (the sitemaps have no headlines, only its address).
    for path in reader_pages:
        assert story.slug in anonymous.get(path).content.decode(), path

    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.post(
            f"/admin/articles/article/{story.pk}/withdraw/", {"reason": "Court order 123"}
        )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.withdrawn_at and story.withdrawn_by == editor and story.withdrawn_reason == "Court order 123"
    assert story.revisions.filter(action="withdrawn", note="Court order 123").exists()

    gone = anonymous.get(url)
    assert gone.status_code == 410
    page = gone.content.decode()
    assert "This article has been withdrawn" in page
    assert HEADLINE not in page and "Court order" not in page
    for path in reader_pages:
        assert story.slug not in anonymous.get(path).content.decode(), path
    # Comments on it are closed to readers too.
    assert anonymous.post(f"/comments/{story.pk}/post/", {}).status_code == 404


def test_an_editor_lifts_the_withdrawal(as_editor, anonymous, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_editor.post(f"/admin/articles/article/{story.pk}/withdraw/", {"reason": "Complaint"})
    assert anonymous.get(story.get_absolute_url()).status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.post(f"/admin/articles/article/{story.pk}/reinstate/")
    assert response.status_code == 302
    assert anonymous.get(story.get_absolute_url()).status_code == 200
    assert HEADLINE in anonymous.get("/").content.decode()


def test_withdrawing_needs_a_reason(as_editor, story):
    response = as_editor.post(f"/admin/articles/article/{story.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 200
    assert Article.objects.get(pk=story.pk).withdrawn_at is None


@pytest.mark.parametrize("role", ["Contributor", "Moderator"])
def test_only_an_editor_may_withdraw_or_lift_a_withdrawal(role, story):
    client = Client()
    client.force_login(staff("someone", role, byline=role == "Contributor"))
    assert client.post(f"/admin/articles/article/{story.pk}/withdraw/", {"reason": "x"}).status_code == 403
    Article.objects.filter(pk=story.pk).update(withdrawn_at=timezone.now())
    assert client.post(f"/admin/articles/article/{story.pk}/reinstate/").status_code == 403
    client.post("/admin/articles/article/", {"action": "reinstate_selected", "_selected_action": [story.pk]})
    assert Article.objects.get(pk=story.pk).withdrawn_at is not None


def test_bulk_action_lifts_withdrawals(as_editor, story):
    Article.objects.filter(pk=story.pk).update(withdrawn_at=timezone.now())
    as_editor.post(
        "/admin/articles/article/", {"action": "reinstate_selected", "_selected_action": [story.pk]}
    )
    assert Article.objects.get(pk=story.pk).withdrawn_at is None


def test_withdrawn_article_shows_as_such_in_the_admin(as_editor, story):
    Article.objects.filter(pk=story.pk).update(withdrawn_at=timezone.now(), withdrawn_reason="Libel claim")
    page = as_editor.get(CHANGE.format(story.pk)).content.decode()
    assert "Libel claim" in page and "Lift the withdrawal" in page and "View on site" not in page
    assert "Withdrawn" in as_editor.get("/admin/articles/article/").content.decode()


# --- Corrections ----------------------------------------------------------------------------------


def json_ld(page):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def test_editor_appends_a_correction_readers_see_it_and_date_modified_moves(
    as_editor, editor, anonymous, story, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    before = json_ld(anonymous.get(url).content.decode())["dateModified"]
    anonymous.get(url)  # cached now
    data = article_form(story)
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version gave the wrong court. It was the county court.",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.post(CHANGE.format(story.pk), data)
    assert response.status_code == 302, form_errors(response)
    note = Correction.objects.get()
    assert note.created_by == editor and note.article == story

    response = anonymous.get(url)
    assert response.get("X-Cache") != "hit"
    page = response.content.decode()
    assert "Correction," in page and "It was the county court." in page
    assert json_ld(page)["dateModified"] > before


def test_correction_added_on_its_own_touches_the_article(anonymous, story):
    url = story.get_absolute_url()
    before = Article.objects.get(pk=story.pk).updated_at
    Correction.objects.create(article=story, kind="update", text="Police have since made an arrest.")
    story.refresh_from_db()
    assert story.updated_at > before and story.corrected_at is not None
    page = anonymous.get(url).content.decode()
    assert "Update," in page and "Police have since made an arrest." in page
    assert json_ld(page)["dateModified"] == story.updated_at.isoformat()


def test_correction_text_is_plain(anonymous, story):
    Correction.objects.create(article=story, text="<script>alert(1)</script>")
    page = anonymous.get(story.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_contributors_do_not_get_the_corrections_inline():
    contributor = staff("connie", "Contributor", byline=True)
    article = make_article("Mine", status="draft", authors=[contributor.author_profile])
    client = Client()
    client.force_login(contributor)
    assert "corrections-TOTAL_FORMS" not in client.get(CHANGE.format(article.pk)).content.decode()


def test_a_copy_of_the_article_loaded_before_a_correction_does_not_erase_it(anonymous, story):
    stale = Article.objects.get(pk=story.pk)
    Correction.objects.create(article=story, text="The date was wrong.")
    stale.headline = "Edited from an old copy"
    stale.save()
    assert Article.objects.get(pk=story.pk).corrected_at is not None
    assert "The date was wrong." in anonymous.get(stale.get_absolute_url()).content.decode()


def test_the_withdrawal_notice_links_to_the_complaints_policy_when_there_is_one(anonymous, story):
    from articles.factories import make_page

    story.withdrawn_at = timezone.now()
    story.save()
    notice = anonymous.get(story.get_absolute_url())
    assert notice.status_code == 410
    assert "complaints and corrections process." in notice.content.decode()
    make_page(
        "Complaints and corrections policy", "<p>How to complain.</p>", slug="complaints-and-corrections"
    )
    linked = anonymous.get(story.get_absolute_url()).content.decode()
    assert '<a href="/about/complaints-and-corrections/">complaints and corrections process</a>' in linked
