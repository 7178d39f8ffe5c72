import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article, Comment, Page, Section

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (Article.objects.count(), Section.objects.count(), Page.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Article.objects.count(), Section.objects.count(), Page.objects.count()) == counts
    assert counts[0] >= 12


def test_demo_content_has_a_scheduled_and_a_draft_article():
    call_command("seed_demo", verbosity=0)
    assert Article.objects.scheduled().exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()


def test_demo_content_has_open_discussions_and_closed_ones():
    call_command("seed_demo", verbosity=0)
    commented = Article.objects.published().filter(comment_set__status="approved").distinct()
    assert any(article.comments_open for article in commented)
    assert any(not article.comments_open for article in Article.objects.published())
    assert Comment.objects.filter(parent__isnull=False).exists()


def test_demo_accounts_print_a_working_editor_login(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    call_command("demo_accounts")
    output = capsys.readouterr().out
    line = next(line for line in output.splitlines() if "username editor" in line)
    password = line.split("password")[-1].strip()
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password)
    assert editor.is_staff
    assert editor.groups.filter(name="Editor").exists()


def test_demo_accounts_are_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_accounts")
    assert not get_user_model().objects.filter(username="editor").exists()
