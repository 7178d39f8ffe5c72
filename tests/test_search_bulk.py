"""A big archive: the search index is rebuilt and an import indexed in bounded batches, so the
work grows in a straight line with the stories; and the bulk index answers as per-story indexing
does. Straight-line work is asserted by counting statements, not by timing."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles import search
from articles.factories import make_article, make_section
from articles.models import Article, ArticleTag
from articles.wordpress.importer import Importer
from articles.wordpress.sample import write_sample_export
from tests.editorial_helpers import CHANGE, article_form, staff

pytestmark = pytest.mark.django_db


def found(query):
    return [article.headline for article in search.search(query)[:100]]


def index_contents():
    """Everything the index holds, as the database stores it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT article_id, vector::text FROM articles_searchentry ORDER BY article_id")
        else:
            cursor.execute(
                "SELECT rowid, headline, standfirst, body, tags FROM articles_search ORDER BY rowid"
            )
        return cursor.fetchall()


def add_archive(count, start=0):
    """count stories put straight in the table (no signals, as a bulk load would), tagged."""
    section = make_section("Archive")
    tags = [Tag.objects.get_or_create(name=f"archive tag {n}", slug=f"archive-tag-{n}")[0] for n in range(3)]
    moment = timezone.now() - timedelta(days=30)
    articles = Article.objects.bulk_create(
        Article(
            headline=f"Archived story {n} about the harbour",
            slug=f"archived-story-{n}",
            standfirst=f"Standfirst {n}",
            body=f"<p>Body {n} of the archive &amp; its <b>ferries</b>.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=moment + timedelta(minutes=n),
        )
        for n in range(start, start + count)
    )
    ArticleTag.objects.bulk_create(
        ArticleTag(tag=tags[article.pk % 3], content_object=article) for article in articles
    )


def rebuild_statements():
    with CaptureQueriesContext(connection) as queries:
        search.rebuild()
    return len(queries)


# --- The rebuild ----------------------------------------------------------------------------


def test_a_rebuild_runs_as_many_statements_for_many_stories_as_for_few():
    add_archive(5)
    few = rebuild_statements()
    add_archive(60, start=5)
    assert rebuild_statements() == few
    assert len(found("harbour")) == 65


def test_a_rebuild_reads_and_writes_in_bounded_batches(monkeypatch):
    monkeypatch.setattr(search, "INDEX_BATCH", 10)
    add_archive(10)
    one_batch = rebuild_statements()
    add_archive(35, start=10)  # 45 stories: five batches
    # On SQLite each further batch is one read of stories, one of their tags and one write; on
    # PostgreSQL the server reads the stories itself, in one pass however many there are.
    per_batch = 0 if connection.vendor == "postgresql" else 3
    assert rebuild_statements() == one_batch + 4 * per_batch
    assert len(found("ferries")) == 45
    assert found("archive tag 2") and len(found("archived 44")) == 1


def test_the_index_after_a_bulk_rebuild_answers_exactly_as_after_per_story_indexing():
    now = timezone.now()
    made = [
        make_article("Café owners join the rent strike", tags=["Rent strike", "Cafés"]),
        make_article("Naïve plans for the harbour", body="<p>Dock&amp;rail</p><p>cranes<br>ships</p>"),
        make_article("Scheduled: the ferry returns", published_at=now + timedelta(days=2)),
        make_article("A draft about buses", status=Article.Status.DRAFT, tags=["Buses"]),
        make_article("Withdrawn ferry story", tags=["Ferries"]),
        make_article("Ordinary ferry news", standfirst="Ferries, buses and the rent", tags=["Ferries"]),
        make_article("A story soon deleted about ferries"),
    ]
    made[4].withdrawn_at = now
    made[4].save()
    # Per-story changes, each indexed by its signal: an edit, a tag removed, a tag renamed, a deletion.
    made[1].headline = "Naïve plans for the harbour, revised"
    made[1].save()
    made[0].tags.remove("Cafés")
    renamed = Tag.objects.get(name="Ferries")
    renamed.name = "Ferry services"
    renamed.save()
    made[6].delete()

    queries = ["ferry", "ferries services", "cafe", "naive", "rail", "dock", "buses", "rent strike", "ships"]
    incremental_index, incremental_answers = index_contents(), {q: found(q) for q in queries}
    assert incremental_answers["ferry"] == ["Ordinary ferry news"]  # not scheduled, withdrawn, deleted

    search.rebuild()

    assert index_contents() == incremental_index
    assert {q: found(q) for q in queries} == incremental_answers


def test_a_rebuild_is_the_same_index_on_a_second_run():
    make_article("Harbour cranes", tags=["Docks"])
    search.rebuild()
    first = index_contents()
    search.rebuild()
    assert index_contents() == first
    assert found("docks") == ["Harbour cranes"]


# --- One save from the admin ----------------------------------------------------------------


def test_a_single_admin_save_is_searchable_at_once(client):
    editor = staff("eddie", "Editor")
    client.force_login(editor)
    article = make_article("Library hours")
    assert found("lighthouse") == []
    response = client.post(
        CHANGE.format(article.pk), article_form(article, headline="Lighthouse library hours", tags="Keepers,")
    )
    assert response.status_code == 302
    assert found("lighthouse") == ["Lighthouse library hours"]
    assert found("keepers") == ["Lighthouse library hours"]


# --- The WordPress import -------------------------------------------------------------------


def import_statements(export):
    """The statements an import of this export runs, with everything it wrote undone after."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            Importer(export).run()
        transaction.set_rollback(True)
    return len(queries)


def test_an_import_runs_as_many_statements_into_a_big_archive_as_into_a_small_one(tmp_path):
    export = write_sample_export(tmp_path / "export.xml", posts=12)
    import_statements(export)  # once, so per-process caches (content types) are warm for both
    add_archive(5)
    small = import_statements(export)
    add_archive(80, start=5)
    assert import_statements(export) == small


def test_an_import_is_indexed_in_one_bulk_pass_at_the_end_and_says_when(tmp_path):
    export = write_sample_export(tmp_path / "export.xml", posts=8)
    make_article("An older co-op story about the depot")
    before = found("depot")
    seen_during = []

    def progress(done, total):
        # Readers search the old index until the import is in.
        seen_during.append(found("depot"))

    report = Importer(export, progress=progress).run()
    assert seen_during and all(answer == before for answer in seen_during)
    imported = Article.objects.filter(wordpress_id__isnull=False).count()
    assert imported == 8 and report.indexed == imported
    # Every imported story is in the index, exactly as a per-story index would put it.
    indexed = index_contents()
    search.rebuild()
    assert index_contents() == indexed
    assert any(
        line.startswith(f"Search index: {imported} stories indexed, searchable from ")
        for line in report.lines()
    )


def test_the_import_command_reports_when_the_index_is_ready(tmp_path):
    export = write_sample_export(tmp_path / "export.xml", posts=3)
    out = io.StringIO()
    call_command("import_wordpress", str(export), stdout=out)
    assert "Search index: 3 stories indexed, searchable from " in out.getvalue()
    assert found("depot") or found("rent")


def test_a_dry_run_says_nothing_of_the_index(tmp_path):
    export = write_sample_export(tmp_path / "export.xml", posts=2)
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--dry-run", stdout=out)
    assert "Search index" not in out.getvalue()
    assert index_contents() == []


# --- What the index is given ----------------------------------------------------------------

SANITISED_BODIES = [
    "<p>Dock&amp;rail</p><p>cranes<br>ships</p>",
    '<p><a href="/x?a=1&b=2" title="a > b">link</a> é &lt;tag&gt; &amp;lt; x&nbsp;y "q" it\'s</p>',
    "<h2>Head</h2><ul><li>one</li><li>two</li></ul><blockquote>q</blockquote><p>un<em>believ</em>able</p>",
    "<p>Rent</p><P>strike</P><!-- a comment --><script>alert(1)</script><div>depot</div>",
]


def indexed_body_text(article):
    """The body text the database indexes for this article."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            body_sql = f"SELECT {search._BODY_SQL} FROM articles_article AS a WHERE a.id = %s"  # noqa: S608
            cursor.execute(body_sql, [article.pk])
        else:
            cursor.execute("SELECT body FROM articles_search WHERE rowid = %s", [article.pk])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("body", SANITISED_BODIES)
def test_the_index_reads_a_body_as_body_text_does_on_either_database(body):
    # PostgreSQL strips the markup itself (no text to Python and back); it must give the words,
    # spaces and characters that body_text() gives SQLite's index, for anything the sanitiser keeps.
    article = make_article("Markup", body=body)
    article.refresh_from_db()
    assert indexed_body_text(article) == search.body_text(article.body)


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_no_stories_words_in_the_index():
    """FTS5 is no model's table, so a flush used to leave SQLite's index holding every story
    it had: a later story given the same id was found by words it never had."""
    make_article("Orchard harvest festival", body="<p>Apples everywhere.</p>")
    call_command("flush", interactive=False, verbosity=0)
    table = "articles_search" if connection.vendor == "sqlite" else "articles_searchentry"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - one of two names
        assert cursor.fetchone()[0] == 0
    make_article("Council budget", body="<p>Rates rise.</p>")
    assert found("orchard") == []
    assert found("budget") == ["Council budget"]
