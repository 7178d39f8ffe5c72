"""The editorial desk: roles enforced on the server, status moves, locking and the article list.

The article form itself (editor, image, CSP, dates, tags) is tested in test_editorial_forms.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.factories import make_article, make_author, make_section
from articles.models import Article, ArticleRevision, Comment
from tests.editorial_helpers import ADD, CHANGE, article_form, form_errors, signed_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributor():
    return staff("connie", "Contributor", byline=True)


@pytest.fixture
def as_contributor(contributor):
    return signed_in(contributor)


def own_draft(contributor, headline="My draft"):
    return make_article(
        headline, status=Article.Status.DRAFT, authors=[contributor.author_profile], created_by=contributor
    )


# --- Contributors ---------------------------------------------------------------------------


def test_contributor_writes_a_draft_that_carries_their_byline(as_contributor, contributor):
    section = make_section("News")
    response = as_contributor.post(ADD, article_form(section=section.pk, headline="Bins not collected"))
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(headline="Bins not collected")
    assert article.status == Article.Status.DRAFT
    assert article.created_by == contributor
    assert list(article.authors.all()) == [contributor.author_profile]
    assert article.revisions.get().action == ArticleRevision.Action.CREATED


def test_contributor_is_offered_only_draft_and_review(as_contributor):
    page = as_contributor.get(ADD).content.decode()
    assert 'value="draft"' in page and 'value="review"' in page
    assert 'value="published"' not in page
    assert 'name="published_at_0"' not in page and 'name="placement"' not in page


def test_contributor_posting_published_is_refused(as_contributor):
    section = make_section("News")
    response = as_contributor.post(ADD, article_form(section=section.pk, status="published"))
    assert response.status_code == 200
    assert "published is not one of the available choices" in form_errors(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "forced",
    [
        {"published_at": timezone.now() + timedelta(days=1)},
        {"published_at": timezone.now() - timedelta(days=1)},
        {"placement": "lead"},
    ],
)
def test_contributor_forcing_a_publication_time_or_placement_gets_an_error(
    as_contributor, contributor, forced
):
    article = own_draft(contributor)
    response = as_contributor.post(CHANGE.format(article.pk), article_form(article, **forced))
    assert response.status_code == 200
    assert "Only an editor can publish or schedule" in form_errors(response)
    article.refresh_from_db()
    assert article.published_at is None and article.placement == "" and article.status == "draft"


def test_contributor_submits_for_review_then_can_no_longer_edit(as_contributor, contributor):
    article = own_draft(contributor)
    response = as_contributor.post(CHANGE.format(article.pk), article_form(article, status="review"))
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    # Still visible to them, read-only; a forced edit is refused.
    page = as_contributor.get(CHANGE.format(article.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    forced = as_contributor.post(CHANGE.format(article.pk), article_form(article, headline="Sneaky edit"))
    assert forced.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == "My draft"


def test_contributor_cannot_open_or_post_someone_elses_article(as_contributor):
    theirs = make_article("Someone else's draft", status=Article.Status.DRAFT, authors=[make_author("Other")])
    assert as_contributor.get(CHANGE.format(theirs.pk)).status_code == 403
    response = as_contributor.post(CHANGE.format(theirs.pk), article_form(theirs, headline="Hijacked"))
    assert response.status_code == 403
    assert Article.objects.get(pk=theirs.pk).headline == "Someone else's draft"
    listing = as_contributor.get("/admin/articles/article/").content.decode()
    assert "Someone else" not in listing


def test_contributor_sees_articles_that_carry_their_byline(as_contributor, contributor):
    make_article("Bylined by an editor for me", status="draft", authors=[contributor.author_profile])
    make_article("Not mine", status="draft")
    listing = as_contributor.get("/admin/articles/article/").content.decode()
    assert "Bylined by an editor for me" in listing and "Not mine" not in listing


def test_contributor_cannot_run_publishing_actions(as_contributor, contributor):
    article = own_draft(contributor)
    response = as_contributor.post(
        "/admin/articles/article/", {"action": "publish_now", "_selected_action": [article.pk]}
    )
    assert response.status_code in (200, 302)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_contributor_preview_and_history_of_others_are_refused(as_contributor):
    theirs = make_article("Not yours", status="draft")
    assert as_contributor.get(f"/admin/articles/article/{theirs.pk}/history/").status_code == 403
    assert as_contributor.get(f"/preview/{theirs.pk}/").status_code == 404


def test_moderator_cannot_edit_or_publish_articles():
    moderator = signed_in(staff("mo", "Moderator"))
    article = make_article("Story", status="draft")
    assert moderator.get(CHANGE.format(article.pk)).status_code == 403
    assert (
        moderator.post(CHANGE.format(article.pk), article_form(article, status="published")).status_code
        == 403
    )
    moderator.post("/admin/articles/article/", {"action": "publish_now", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == "draft"


# --- Editors: status moves and scheduling -------------------------------------------------------


def test_editor_schedules_an_article_that_readers_see_only_from_its_time(as_editor, anonymous):
    article = make_article("Budget day", status=Article.Status.REVIEW)
    when = timezone.now() + timedelta(hours=2)
    response = as_editor.post(
        CHANGE.format(article.pk), article_form(article, status="published", published_at=when)
    )
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.is_scheduled
    listing = as_editor.get("/admin/articles/article/").content.decode()
    assert "Scheduled for" in listing
    assert anonymous.get(article.get_absolute_url()).status_code == 404
    assert "Budget day" not in anonymous.get("/").content.decode()
    assert Article.objects.published(now=when + timedelta(seconds=1)).filter(pk=article.pk).exists()
    # Its time comes.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert anonymous.get(Article.objects.get(pk=article.pk).get_absolute_url()).status_code == 200


def test_editor_publishes_now_and_unpublishes_in_bulk(as_editor):
    draft = make_article("Draft", status="draft")
    scheduled = make_article("Later", published_at=timezone.now() + timedelta(days=2))
    as_editor.post(
        "/admin/articles/article/", {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]}
    )
    for article in (draft, scheduled):
        article.refresh_from_db()
        assert article.is_published
        assert article.revisions.filter(action="published").exists()
    as_editor.post("/admin/articles/article/", {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editor_opens_and_closes_comments_in_bulk(as_editor):
    articles = [make_article(f"Story {n}", comments="closed") for n in range(2)]
    as_editor.post(
        "/admin/articles/article/", {"action": "open_comments", "_selected_action": [a.pk for a in articles]}
    )
    assert set(Article.objects.values_list("comments", flat=True)) == {"open"}


def test_view_on_site_only_for_published_articles(as_editor):
    live = make_article("Live")
    draft = make_article("Draft", status="draft")
    assert f'href="{live.get_absolute_url()}"' in as_editor.get(CHANGE.format(live.pk)).content.decode()
    page = as_editor.get(CHANGE.format(draft.pk)).content.decode()
    assert "View on site" not in page and f"/preview/{draft.pk}/" in page


# --- Optimistic locking ---------------------------------------------------------------------


def test_second_of_two_concurrent_saves_is_refused_and_writes_nothing(editor):
    first, second = signed_in(editor), signed_in(staff("edna", "Editor"))
    article = make_article("Original headline")
    opened = article_form(article)  # both opened the same version
    assert (
        second.post(CHANGE.format(article.pk), {**opened, "headline": "Edna's headline"}).status_code == 302
    )
    response = first.post(
        CHANGE.format(article.pk), {**opened, "headline": "Eddie's headline", "body": "<p>x</p>"}
    )
    assert response.status_code == 200
    assert "Someone else saved this article since you opened it" in form_errors(response)
    article.refresh_from_db()
    assert article.headline == "Edna's headline"
    assert article.body != "<p>x</p>"


def test_every_save_moves_the_version_on(as_editor):
    article = make_article("Versioned")
    start = article.version
    page = as_editor.get(CHANGE.format(article.pk)).content.decode()
    assert f'<input type="hidden" name="opened_version" value="{start}"' in page
    response = as_editor.post(CHANGE.format(article.pk), article_form(article, headline="Versioned again"))
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.version == start + 1
    article.comments = "closed"
    article.save(update_fields=["comments"])
    assert article.version == start + 2 == Article.objects.get(pk=article.pk).version


# --- The article list -------------------------------------------------------------------------


def test_article_list_shows_authors_pending_comments_and_filters(as_editor):
    tagged = make_article("Rent strike spreads", tags=["Housing"], body="<p>The tenants' union met.</p>")
    make_article("Other news")
    for n in range(3):
        Comment.objects.create(article=tagged, name=f"R{n}", email=f"r{n}@example.com", body="hi")
    listing = as_editor.get("/admin/articles/article/").content.decode()
    assert "Staff Reporter" in listing
    assert f"article__id__exact={tagged.pk}&amp;status__exact=pending" in listing
    by_tag = as_editor.get("/admin/articles/article/?tag=housing").content.decode()
    assert "Rent strike spreads" in by_tag and "Other news" not in by_tag
    by_body = as_editor.get("/admin/articles/article/?q=tenants").content.decode()
    assert "Rent strike spreads" in by_body and "Other news" not in by_body


def test_status_filter_knows_scheduled_and_withdrawn(as_editor):
    make_article("Coming soon", published_at=timezone.now() + timedelta(hours=1))
    gone = make_article("Taken down")
    Article.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now())
    scheduled = as_editor.get("/admin/articles/article/?state=scheduled").content.decode()
    assert "Coming soon" in scheduled and "Taken down" not in scheduled
    withdrawn = as_editor.get("/admin/articles/article/?state=withdrawn").content.decode()
    assert "Taken down" in withdrawn and "Coming soon" not in withdrawn


def build_articles(count, start=0):
    sections = [make_section(name) for name in ("News", "Opinion")]
    authors = [make_author(f"Writer {n}") for n in range(4)]
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            standfirst="Summary.",
            body="<p>Body.</p>",
            section=sections[n % 2],
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
        )
        for n in range(start, start + count)
    )
    Through = Article.authors.through
    Through.objects.bulk_create(Through(article=a, author=authors[i % 4]) for i, a in enumerate(articles))
    Comment.objects.bulk_create(
        Comment(article=a, name="R", email="r@example.com", body="hi") for a in articles[::5]
    )
    articles[0].tags.add("Housing", f"Tag {start}")
    return articles


def test_article_list_with_500_articles_runs_a_fixed_number_of_queries(
    as_editor, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_articles(60)
    with CaptureQueriesContext(connection) as small:
        as_editor.get("/admin/articles/article/")
    build_articles(440, start=60)
    # Sessions, permissions, filters, one COUNT, one page of rows, their authors: never a query per row.
    with django_assert_max_num_queries(18), CaptureQueriesContext(connection) as large:
        response = as_editor.get("/admin/articles/article/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 500
    assert len(response.context["cl"].result_list) == 50
    assert len(large) == len(small)
