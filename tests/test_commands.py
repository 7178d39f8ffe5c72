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


def test_demo_accounts_name_the_sign_in_address_as_served(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8801"
    call_command("demo_accounts")
    assert "at http://127.0.0.1:8801/admin/:" in capsys.readouterr().out


def test_demo_accounts_are_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_accounts")
    assert not get_user_model().objects.filter(username="editor").exists()


def test_demo_accounts_never_touch_a_real_account_of_the_same_name(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    real = get_user_model().objects.create_user("finance", "treasurer@coop.example", "their-own-passphrase")
    call_command("demo_accounts")
    captured = capsys.readouterr()
    real.refresh_from_db()
    assert real.email == "treasurer@coop.example" and real.check_password("their-own-passphrase")
    assert not real.groups.exists()
    assert "finance: an account of that name exists" in captured.err
    assert "username editor" in captured.out and "username finance" not in captured.out


def test_seed_demo_again_after_one_article_went_adds_no_second_set_of_comments():
    call_command("seed_demo", verbosity=0)
    comments = Comment.objects.count()
    Article.objects.filter(comment_set__isnull=True).first().delete()
    call_command("seed_demo", verbosity=0)
    assert Comment.objects.count() == comments


@pytest.mark.parametrize("command", ["seed_demo", "seed_appeals", "rebuild_search_index", "clock"])
def test_commands_on_a_database_not_yet_migrated_say_so_in_one_line(command, tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    drop = ("DATABASE_URL", "REDIS_URL", "VAR_DIR", "MEDIA_ROOT")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    result = subprocess.run(
        [sys.executable, "manage.py", command],
        env={**env, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "canary.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "not fully migrated: run `manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_demo_leaves_comments_waiting_for_a_moderator_once():
    call_command("seed_demo", verbosity=0)
    waiting = Comment.objects.filter(status=Comment.Status.PENDING).count()
    assert waiting >= 2
    call_command("seed_demo", verbosity=0)
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == waiting
