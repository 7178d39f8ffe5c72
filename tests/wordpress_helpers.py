"""Running the WordPress importer in tests, on the sample exports in tests/wxr/, and what to look at afterwards."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.models import Article, Author, Comment, Image, OldPath, Page, Section
from canary.backup_media import stored_names

WXR = Path(__file__).parent / "wxr"
SITE = WXR / "site.xml"


def moderator():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("mo", "mo@example.com", "pw-long-enough-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


def run(path, *args):
    out = io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


def run_failing(path, *args):
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue(), str(error.value)


def article(wordpress_id):
    return Article.objects.get(wordpress_id=wordpress_id)


def counts_line(output, kind):
    line = next(line for line in output.splitlines() if line.startswith(kind))
    return dict(
        zip(("created", "updated", "unchanged", "skipped", "failed"), map(int, line.split()[1:]), strict=True)
    )


def nothing_written():
    models = (Article, Page, Section, Author, Image, Comment, OldPath, Tag)
    return all(not model.objects.exists() for model in models)


def media_files():
    """Every file in the media storage, the disk's or the bucket's."""
    return list(stored_names(default_storage))
