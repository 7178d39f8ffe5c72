"""The WordPress import moves stories through the article's own moves (publish, schedule,
unpublish, review), as a trusted caller with only the permissions it is given: it never
withdraws a story, nor publishes one the newsroom withdrew."""

import pytest

from articles.exceptions import NotPermitted
from articles.models import Article, ArticleRevision
from articles.wordpress.mapping import IMPORTER
from tests.editorial_helpers import staff
from tests.wordpress_helpers import SITE, article, counts_line, run, run_failing

pytestmark = pytest.mark.django_db

RENT_STATUS = "tenants-win-rent-freeze]]></wp:post_name>\n\t\t<wp:status><![CDATA[publish]]>"


def export(tmp_path, *replacements):
    text = SITE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    changed = tmp_path / "changed.xml"
    changed.write_text(text, encoding="utf-8")
    return changed


def history(wordpress_id):
    return list(
        ArticleRevision.objects.filter(article__wordpress_id=wordpress_id)
        .order_by("pk")
        .values_list("action", "note", "created_by")
    )


def test_the_import_publishes_schedules_and_hands_over_through_the_moves_and_says_so():
    run(SITE)
    assert history(101) == [("published", "by the WordPress import", None)]
    assert history(103) == [("published", "scheduled for 2031-01-15 08:00 (by the WordPress import)", None)]
    assert history(104) == [("changed", "submitted for review (by the WordPress import)", None)]
    assert history(105) == []  # a draft is where a new article starts: no move
    assert article(103).is_scheduled and article(104).status == Article.Status.REVIEW


def test_a_second_run_of_the_same_export_makes_no_move():
    run(SITE)
    moves = ArticleRevision.objects.count()
    run(SITE)
    assert ArticleRevision.objects.count() == moves


def test_wordpress_taking_stories_back_to_draft_moves_them_back(tmp_path):
    run(SITE)
    run(
        export(
            tmp_path,
            (RENT_STATUS, RENT_STATUS.replace("[publish]", "[draft]")),
            ("<![CDATA[pending]]>", "<![CDATA[draft]]>"),
        )
    )
    assert article(101).status == Article.Status.DRAFT
    assert history(101)[-1] == ("unpublished", "by the WordPress import", None)
    assert article(104).status == Article.Status.DRAFT
    assert history(104)[-1] == ("changed", "back to draft (by the WordPress import)", None)


def test_a_story_withdrawn_in_canary_is_not_published_again_by_an_import(tmp_path):
    run(SITE)
    rent = article(101)
    rent.withdraw("A court order.", by=staff("lee", "Editor"))
    output = run(export(tmp_path, ("2021-03-14 09:30:00", "2021-03-15 09:30:00")))
    stored = article(101)
    assert stored.withdrawn_at is not None and not stored.is_published
    assert stored.published_at == rent.published_at
    assert (
        "post 101: Lift the withdrawal before publishing. Its status in Canary is left as it was." in output
    )
    # The rest of the post is still brought up to date.
    assert counts_line(output, "articles")["failed"] == 0


def test_a_publication_date_outside_the_archive_is_refused_with_its_reason(tmp_path):
    output, error = run_failing(export(tmp_path, ("2021-03-14 09:30:00", "1985-03-14 09:30:00")))
    assert "1 item(s) could not be imported" in error
    assert "published_at: Choose a date between 1990 and 2200." in output
    assert not Article.objects.filter(wordpress_id=101).exists()


def test_the_import_holds_only_the_permissions_it_is_given():
    run(SITE)
    rent = article(101)
    assert not IMPORTER.is_authenticated
    with pytest.raises(NotPermitted):
        rent.withdraw("Because a script said so.", by=IMPORTER)
    assert article(101).withdrawn_at is None
