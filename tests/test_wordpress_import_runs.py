"""How an import run behaves: run again, dry, --since; bad input refused with a message and nothing
written; progress and a large export."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from taggit.models import Tag

from articles.factories import make_article, picture_bytes
from articles.management.commands.import_wordpress import ProgressBar
from articles.models import Article, Author, Comment, Image, OldPath, Page, Section
from articles.wordpress.sample import write_sample_export
from tests.wordpress_helpers import (
    SITE,
    WXR,
    article,
    counts_line,
    media_files,
    moderator,
    nothing_written,
    run,
    run_failing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads(tmp_path):
    """A copy of wp-content/uploads holding two of the export's three pictures."""
    folder = tmp_path / "uploads"
    (folder / "2021" / "03").mkdir(parents=True)
    (folder / "2021" / "03" / "council-steps.jpg").write_bytes(picture_bytes(400, 250, seed=1))
    (folder / "2021" / "03" / "march.jpg").write_bytes(picture_bytes(400, 250, seed=2))
    return folder


@pytest.fixture
def imported(uploads):
    return run(SITE, "--media-dir", str(uploads))


def test_a_second_run_updates_instead_of_duplicating(media_storage, uploads, tmp_path):
    run(SITE, "--media-dir", str(uploads))
    before = {
        model: model.objects.count()
        for model in (Article, Page, Section, Author, Image, Comment, OldPath, Tag)
    }
    pending = Comment.objects.get(wordpress_id=1004)
    pending.approve(by=moderator())  # a moderator acted in Canary meanwhile
    changed = tmp_path / "changed.xml"
    changed.write_text(
        SITE.read_text(encoding="utf-8")
        .replace("Tenants win a two-year rent freeze", "Tenants win a rent freeze at last")
        .replace("Wouldn't miss it.", "Wouldn't miss it for the world."),
        encoding="utf-8",
    )
    output = run(changed, "--media-dir", str(uploads))
    after = {model: model.objects.count() for model in before}
    assert after == before
    assert article(101).headline == "Tenants win a rent freeze at last"
    assert Comment.objects.get(wordpress_id=1003).body == "Wouldn't miss it for the world."
    assert Comment.objects.get(wordpress_id=1004).status == Comment.Status.APPROVED
    assert counts_line(output, "articles")["updated"] == 7
    assert counts_line(output, "images") == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "skipped": 3,
        "failed": 0,
    }
    assert counts_line(output, "redirects")["created"] == 0


def test_a_slug_taken_by_another_article_gets_a_suffix(uploads):
    existing = make_article("Something else entirely", slug="tenants-win-rent-freeze")
    run(SITE, "--media-dir", str(uploads))
    assert article(101).slug == "tenants-win-rent-freeze-2"
    existing.refresh_from_db()
    assert existing.headline == "Something else entirely"


def test_a_dry_run_writes_nothing(media_storage, uploads):
    output = run(SITE, "--media-dir", str(uploads), "--dry-run")
    assert output.startswith("Dry run")
    assert counts_line(output, "articles")["created"] == 7
    assert counts_line(output, "images")["created"] == 2
    assert nothing_written()
    assert media_files() == []


def test_since_imports_only_what_was_published_from_that_day(uploads):
    run(SITE, "--media-dir", str(uploads), "--since", "2021-06-01")
    assert sorted(Article.objects.values_list("wordpress_id", flat=True)) == [102, 103]
    assert not Page.objects.exists()


def test_a_bad_since_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_wordpress", str(SITE), "--since", "1 March 2021")


def test_a_bad_post_is_reported_and_the_rest_imported(media_storage, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2021" / "02").mkdir(parents=True)
    (uploads / "2021" / "02" / "letter.jpg").write_bytes(picture_bytes(200, 100))
    output, error = run_failing(WXR / "failing.xml", "--media-dir", str(uploads))
    assert "1 item(s) could not be imported" in error
    assert (
        "post 501 (A letter dated the thirtieth of February): comment_date_gmt '2021-02-30 10:00:00'"
        in output
    )
    assert counts_line(output, "articles") == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 1,
    }
    assert list(Article.objects.values_list("wordpress_id", flat=True)) == [502]
    # Everything the bad post had written went with it.
    assert not Section.objects.filter(slug="calendar").exists()
    assert not Tag.objects.filter(name="Impossible").exists()
    assert not OldPath.objects.filter(path="/2021/02/thirtieth-of-february/").exists()
    assert not Image.objects.exists()
    assert media_files() == []  # the picture stored for the failed post was deleted


def test_malformed_xml_is_refused_with_its_line_and_nothing_is_written():
    message = r"The file is not valid XML: line 21, column 3: mismatched tag\. Nothing was imported\."
    with pytest.raises(CommandError, match=message):
        call_command("import_wordpress", str(WXR / "malformed.xml"))
    assert nothing_written()


@pytest.mark.parametrize("name", ["entity_bomb.xml", "external_entity.xml"])
def test_hostile_xml_is_refused_and_nothing_is_written(name):
    with pytest.raises(CommandError, match="declares XML entities"):
        call_command("import_wordpress", str(WXR / name))
    assert nothing_written()


def test_xml_that_is_not_a_wordpress_export_is_refused(tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("<html><body>Not an export</body></html>")
    with pytest.raises(CommandError, match="not a WordPress export"):
        call_command("import_wordpress", str(page))
    feed = tmp_path / "feed.xml"
    feed.write_text('<rss version="2.0"><channel><title>A plain feed</title></channel></rss>')
    with pytest.raises(CommandError, match="not a WordPress export"):
        call_command("import_wordpress", str(feed))


def test_a_missing_file_or_media_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_wordpress", str(tmp_path / "nowhere.xml"))
    with pytest.raises(CommandError, match="media folder"):
        call_command("import_wordpress", str(SITE), "--media-dir", str(tmp_path / "nowhere"))


def test_a_file_that_cannot_be_read_is_refused_with_a_message_not_a_traceback(tmp_path):
    from articles.wordpress import wxr

    # A folder where a file should be: open() fails as for an unreadable file or a disk error.
    with pytest.raises(wxr.InvalidExport, match="The file could not be read: Is a directory"):
        list(wxr.read(tmp_path))


def test_progress_bar_is_drawn_only_on_a_terminal(uploads):
    output = run(SITE, "--media-dir", str(uploads))
    assert "\r" not in output and "items" not in output
    drawn = io.StringIO()
    bar = ProgressBar(OutputWrapper(drawn))
    for done in range(1, 4):
        bar(done, 3)
    assert drawn.getvalue().endswith(f"\r[{'#' * 30}] 3/3 items\n")


def test_a_generated_large_export_imports(tmp_path):
    path = write_sample_export(tmp_path / "sample.xml", posts=50, media_dir=tmp_path / "uploads")
    output = run(path, "--media-dir", str(tmp_path / "uploads"))
    assert Article.objects.published().count() == 50
    assert counts_line(output, "images")["created"] == 5
    assert counts_line(output, "articles")["failed"] == 0
    assert Page.objects.count() == 1
    assert "nav_menu_item 1" in output
