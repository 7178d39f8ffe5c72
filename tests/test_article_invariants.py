"""An article's data rules hold on every path that writes one: a sanitised body, a version that
counts every save, and an old address kept when the slug or date of a published story changes.
One test per path: a shell (the ORM), the model's own methods, the admin, the WordPress importer."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles import search
from articles.exceptions import StaleVersion
from articles.factories import make_article
from articles.models import Article, ArticleRevision, OldPath
from tests.editorial_helpers import CHANGE, article_form, form_errors, staff
from tests.wordpress_helpers import SITE, run
from tests.wordpress_helpers import article as imported_article

pytestmark = pytest.mark.django_db

SCRIPT = '<p>Words.</p><script>alert("x")</script><p onclick="alert(1)">More.</p>'


def leads_to(old_url, article):
    return OldPath.objects.get(path=old_url).target_url() == article.get_absolute_url()


def test_a_shell_save_cleans_the_body_counts_the_version_and_keeps_the_old_address():
    article = make_article("Council cuts")
    old_url, version = article.get_absolute_url(), article.version
    copy = Article.objects.get(pk=article.pk)
    article.body = SCRIPT
    article.slug = "budget-cuts"
    article.save()
    stored = Article.objects.get(pk=article.pk)
    assert "<script" not in stored.body and "onclick" not in stored.body
    assert stored.version == version + 1
    assert leads_to(old_url, stored)
    # A copy loaded before that save is refused, and what was saved stays as it was.
    copy.headline = "Overwritten"
    with pytest.raises(StaleVersion):
        copy.save()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.slug, stored.version) == ("Council cuts", "budget-cuts", version + 1)
    # Reloaded, the same change goes through.
    copy.refresh_from_db()
    copy.headline = "Council cuts deepen"
    copy.save()
    assert Article.objects.get(pk=article.pk).version == version + 2


def test_a_refused_save_leaves_the_copy_as_it_was_to_reload():
    article = make_article("Ferry fares")
    first, second = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
    first.body = "<p>First editor.</p>"
    first.save()
    second.body = "<p>Second editor.</p>"
    with pytest.raises(StaleVersion) as refusal:
        second.save()
    assert (refusal.value.loaded, refusal.value.stored) == (article.version, article.version + 1)
    assert second.version == article.version  # not counted on: nothing of it was written
    assert Article.objects.get(pk=article.pk).body == "<p>First editor.</p>"


def test_a_move_made_on_an_old_copy_overwrites_nobodys_edit():
    editor = staff("eddie", "Editor")
    article = make_article("Quiet", status=Article.Status.DRAFT)
    old_copy = Article.objects.get(pk=article.pk)
    article.headline = "Quiet no more"
    article.save()
    # A move reads the state it changes under a lock and writes only that.
    old_copy.publish(by=editor)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.status) == ("Quiet no more", "published")
    assert stored.version == article.version + 1 == old_copy.version


def test_the_models_own_moves_count_the_version_and_keep_the_body_clean():
    editor = staff("eddie", "Editor")
    article = make_article("Quiet", status=Article.Status.DRAFT)
    article.publish(by=editor)
    article.unpublish(by=editor)
    assert Article.objects.get(pk=article.pk).version == 3
    assert [r.version for r in ArticleRevision.objects.order_by("pk")] == [2, 3]
    # A history snapshot edited in the database cannot bring a script back on restore.
    revision = ArticleRevision.objects.order_by("pk").first()
    revision.snapshot = {**revision.snapshot, "body": SCRIPT}
    revision.save()
    revision.restore(editor)
    assert "<script" not in Article.objects.get(pk=article.pk).body


def test_a_published_story_re_dated_by_a_move_keeps_its_old_address():
    editor = staff("eddie", "Editor")
    article = make_article("Dated", published_at=timezone.now() - timedelta(days=40))
    old_url = article.get_absolute_url()
    article.unpublish(by=editor)
    article.publish(by=editor, at=timezone.now() - timedelta(days=1))
    # Unpublished in between: nobody could have found it at the old address since.
    assert not OldPath.objects.filter(path=old_url).exists()
    live = Article.objects.get(pk=article.pk)
    live.published_at = timezone.now() - timedelta(days=3)
    live.save()
    assert leads_to(article.get_absolute_url(), Article.objects.get(pk=article.pk))


def test_the_admin_cleans_the_body_counts_the_version_and_keeps_the_old_address():
    client = Client()
    client.force_login(staff("eddie", "Editor"))
    article = make_article("Council cuts")
    old_url, version = article.get_absolute_url(), article.version
    response = client.post(CHANGE.format(article.pk), article_form(article, slug="budget-cuts", body=SCRIPT))
    assert response.status_code == 302, form_errors(response)
    stored = Article.objects.get(pk=article.pk)
    assert "<script" not in stored.body and "onclick" not in stored.body
    assert stored.version == version + 1
    assert leads_to(old_url, stored)
    # A form opened at the old version is refused, not saved over the newer one.
    stale = client.post(CHANGE.format(article.pk), article_form(article, headline="Overwritten"))
    assert stale.status_code == 200
    assert "You saved this article in another tab or window" in form_errors(stale)
    assert Article.objects.get(pk=article.pk).headline == "Council cuts"


def test_a_story_saved_in_the_admin_is_found_by_its_new_words_at_once(django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(staff("eddie", "Editor"))
    article = make_article("Library hours", body="<p>Open on Mondays.</p>")
    body = "<p>Open on Mondays and now on Saturdays.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGE.format(article.pk), article_form(article, body=body))
    assert response.status_code == 302, form_errors(response)
    assert [found.headline for found in search.search("saturdays")] == ["Library hours"]


def test_the_importer_cleans_the_body_counts_the_version_and_keeps_the_old_address(tmp_path):
    run(SITE)
    first = imported_article(101)
    old_url, version = first.get_absolute_url(), first.version
    changed = tmp_path / "changed.xml"
    changed.write_text(
        SITE.read_text(encoding="utf-8")
        .replace("<![CDATA[tenants-win-rent-freeze]]>", "<![CDATA[rent-freeze-won]]>")
        .replace(
            "<![CDATA[Tenants on the Riverside estate",
            '<![CDATA[<script>alert("x")</script>Tenants on the Riverside estate',
        ),
        encoding="utf-8",
    )
    run(changed)
    stored = imported_article(101)
    assert stored.slug == "rent-freeze-won"
    assert "<script" not in stored.body and "Riverside" in stored.body
    assert stored.version == version + 1
    assert leads_to(old_url, stored)
