"""Only models whose change alters a reader page are watched by the page cache: each save of
one empties every cached page, so a counter or a delivery that joined would empty it all day."""

import pytest
from django.apps import apps

from canary.invalidation import is_content

# Adding a model here is a decision: does a change to it alter what a reader is shown?
WATCHED = {
    "articles.ActionLink",
    "articles.Article",
    "articles.ArticleTag",
    "articles.Author",
    "articles.Comment",
    "articles.Correction",
    "articles.Image",
    "articles.OldPath",
    "articles.Page",
    "articles.Section",
    # The sign-up form on every page lists the public newsletters.
    "newsletters.Newsletter",
    # Only when it is sent (changes_reader_pages): the archive, its feed and the issue page.
    "newsletters.Issue",
    "supporters.AdSlot",
    "supporters.CallToAction",
    "supporters.GivingPage",
    "supporters.HouseAd",
    "taggit.Tag",
}
# Bookkeeping that must never join, whatever pattern someone writes into the setting.
NEVER = {
    "articles.ArticleRevision",
    "articles.BlockedCommenter",
    "mailroom.Email",
    "newsletters.Subscription",
    "newsletters.Subscriber",
    "readership.Tally",
    "readership.FoldedBatch",
    "newsletters.Consent",
    # An issue's sending is bookkeeping: the issue itself says when it reaches the archive.
    "newsletters.Story",
    "newsletters.Batch",
    "newsletters.Delivery",
    "core.Occurrence",
    "supporters.Click",
    "supporters.Donation",
    "supporters.Plan",
    "supporters.ProviderEvent",
    "supporters.SignInToken",
    "supporters.Supporter",
    "django_tasks_database.DBTaskResult",
    "sessions.Session",
}


def watched():
    return {model._meta.label for model in apps.get_models(include_auto_created=True) if is_content(model)}


def test_the_page_cache_watches_exactly_the_models_readers_see():
    assert watched() == WATCHED


def test_no_bookkeeping_model_is_watched():
    labels = {model._meta.label for model in apps.get_models()}
    assert labels >= NEVER  # each name is a model that exists, so none is a typo that holds nothing
    assert not (watched() & NEVER)


@pytest.mark.django_db
def test_a_bookkeeping_write_leaves_the_cached_pages(django_capture_on_commit_callbacks):
    from articles.factories import make_article
    from canary import page_cache
    from supporters.models import Click

    article = make_article("Story")
    before = page_cache.current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        Click.objects.create(kind="cta", object_id=1, article_id=article.pk, day=article.local_date)
    assert page_cache.current_generation() == before
