"""What a WordPress export becomes: posts, dates, pictures, bodies, comments, pages and redirects.

How a run behaves (again, dry, --since, failures, progress) is in test_wordpress_import_runs.py."""

from datetime import UTC, datetime

import pytest
from taggit.models import Tag

from articles import search
from articles.factories import picture_bytes
from articles.models import Article, Author, Comment, Image, OldPath, Page, Section
from articles.wordpress import content
from articles.wordpress.importer import MediaMissing
from tests.wordpress_helpers import SITE, article, counts_line, run

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


# --- Posts, dates, statuses ----------------------------------------------------------------


def test_statuses_map_onto_canary_statuses(imported):
    assert article(101).status == Article.Status.PUBLISHED
    scheduled = article(103)
    assert scheduled.status == Article.Status.PUBLISHED
    assert scheduled.published_at == datetime(2031, 1, 15, 8, 0, tzinfo=UTC)
    assert list(Article.objects.scheduled()) == [scheduled]
    assert article(104).status == Article.Status.REVIEW
    assert article(105).status == Article.Status.DRAFT
    assert article(106).status == Article.Status.DRAFT  # private
    assert article(105).published_at is None
    assert not Article.objects.filter(wordpress_id=107).exists()  # trash
    assert counts_line(imported, "articles") == {
        "created": 7, "updated": 0, "unchanged": 0, "skipped": 1, "failed": 0
    }  # fmt: skip


def test_dates_come_from_gmt_or_else_london_time(imported):
    assert article(101).published_at == datetime(2021, 3, 14, 9, 30, tzinfo=UTC)
    # No GMT date: 12:00 on 1 July in London is 11:00 UTC (summer time).
    assert article(102).published_at == datetime(2021, 7, 1, 11, 0, tzinfo=UTC)


def test_headline_slug_standfirst_and_comment_status(imported):
    rent = article(101)
    assert rent.headline == "Tenants win a two-year rent freeze"
    assert rent.slug == "tenants-win-rent-freeze"
    assert rent.standfirst == "The council backs down after a six-month campaign."
    assert rent.comments == Article.Comments.OPEN
    assert article(103).headline == "Next winter’s budget meeting"
    depot = article(102)
    assert depot.comments == Article.Comments.CLOSED
    # No excerpt: the first paragraph, cut at a word.
    assert depot.standfirst.startswith("Drivers at the Riverside depot stayed out")
    assert len(depot.standfirst) <= 300 and depot.standfirst.endswith("…")
    # No slug in WordPress (a post in review): made from the headline.
    assert article(104).slug == "repairs-backlog-what-residents-told-us"


def test_categories_tags_and_authors(imported):
    assert article(101).section.slug == "housing"  # the first of its categories
    assert article(108).section.slug == "local"  # Yoast's primary category
    assert Section.objects.get(slug="housing").description == "Rents, repairs and the fight for decent homes."
    assert Section.objects.get(slug="workplaces").name == "Work & Workplaces"
    assert not Section.objects.filter(slug="never-used").exists()
    assert sorted(article(101).tags.names()) == ["Rent", "Tenants' union"]
    assert Tag.objects.get(name="✊ Solidarity").slug == "solidarity"
    assert [(a.name, a.slug) for a in article(101).authors.all()] == [("Mara Okafor", "mara")]
    assert [a.name for a in article(102).authors.all()] == ["Jo Lindqvist"]
    assert Author.objects.count() == 2


def test_a_search_finds_an_imported_article(imported):
    assert [found.wordpress_id for found in search.search("marmalade")] == [101]
    assert [found.wordpress_id for found in search.search("solidarity")] == []  # scheduled, not yet public


# --- Pictures ------------------------------------------------------------------------------


def test_featured_picture_comes_from_the_media_folder(media_storage, imported):
    picture = article(101).featured_image
    assert picture.wordpress_id == 201
    assert picture.alt_text == "Tenants holding banners on the council steps"
    assert picture.caption == "Campaigners outside the town hall"
    assert picture.credit == ""
    assert (picture.width, picture.height) == (400, 250)
    assert picture.file.storage.exists(picture.file.name)


def test_pictures_in_bodies_are_imported_once_and_pointed_at(media_storage, imported):
    march = Image.objects.get(wordpress_id=202)
    assert march.alt_text == "Marchers on the bridge"  # no alt text in WordPress: its title
    for wordpress_id in (101, 102):
        body = article(wordpress_id).body
        assert f'src="{march.file.url}"' in body
        assert "old.example.invalid" not in body
    assert Image.objects.count() == 2


def test_a_missing_picture_is_reported_and_the_article_imported_without_it(imported):
    lost = article(108)
    assert lost.featured_image is None
    assert "<img" not in lost.body
    assert "The words survived." in lost.body
    assert "post 108: picture 2021/04/gone.jpg: not found in the media folder" in imported
    assert "post 108: featured picture 2021/04/lost-card.jpg: not found in the media folder" in imported
    assert "hotlinked.png is not in the site's uploads" in imported
    assert counts_line(imported, "images")["skipped"] == 3


def test_pictures_are_downloaded_without_a_media_folder(media_storage, monkeypatch):
    pictures = {
        "https://old.example.invalid/wp-content/uploads/2021/03/council-steps.jpg": picture_bytes(
            300, 200, seed=3
        ),
        "https://old.example.invalid/wp-content/uploads/2021/03/march.jpg": picture_bytes(300, 200, seed=4),
    }
    asked = []

    def fake_download(url, limit):
        asked.append(url)
        if url not in pictures:
            raise MediaMissing("could not be downloaded (Not Found)")
        return pictures[url]

    monkeypatch.setattr("articles.wordpress.importer.download", fake_download)
    output = run(SITE)
    assert article(101).featured_image.wordpress_id == 201
    assert Image.objects.count() == 2
    assert "lost-card.jpg: could not be downloaded (Not Found)" in output
    assert len(asked) == len(set(asked))  # a picture that failed once is not asked for again


def test_a_post_without_a_usable_date_is_a_draft_not_todays_news(tmp_path, uploads):
    export = tmp_path / "undated.xml"
    text = SITE.read_text()
    text = text.replace("2021-03-14 09:30:00", "0000-00-00 00:00:00")  # post 101: no date at all
    text = text.replace("2021-04-02 11:00:00", "the 2nd of April").replace("2021-04-02 10:00:00", "")
    export.write_text(text)
    output = run(export, "--media-dir", str(uploads))
    for wordpress_id in (101, 108):
        assert article(wordpress_id).status == Article.Status.DRAFT
        assert article(wordpress_id).published_at is None
    assert "post 101: no publication date; imported as a draft" in output
    assert "post 108: post_date 'the 2nd of April' is not a date; imported as a draft" in output
    assert not Article.objects.published().filter(wordpress_id__in=[101, 108]).exists()


# --- Bodies --------------------------------------------------------------------------------


def test_classic_bodies_get_paragraphs_and_line_breaks(imported):
    body = article(101).body
    assert "<p>Tenants on the Riverside estate have won a two-year rent freeze.<br>\nThe council" in body
    assert "<blockquote><p>Nobody gave us this.</p>\n<p>We took it.</p>\n</blockquote>" in body
    assert "<p>What happens next:</p>" in body
    assert "<li>a ballot on the next demand</li>" in body
    assert "<p><ul>" not in body and "<p><blockquote>" not in body


def test_a_caption_shortcode_becomes_a_figure(imported):
    body = article(101).body
    march = Image.objects.get(wordpress_id=202)
    assert (
        f'<figure><img src="{march.file.url}" alt="Marchers on the bridge" width="1024" height="640">'
        "<figcaption>Marchers crossing the river bridge</figcaption></figure>"
    ) in body
    assert "[caption" not in body


def test_embeds_become_links_and_other_shortcodes_leave_their_text(imported):
    body = article(103).body
    assert '<a href="https://www.youtube.com/watch?v=budget456"' in body
    assert '<a href="https://twitter.com/riverside_example/status/123456789"' in body
    assert "<p>Bring your questions.</p>" in body
    assert "[" not in body and "gallery" not in body and "contact-form" not in body


def test_block_markup_is_removed(imported):
    body = article(102).body
    assert "wp:" not in body and "<!--" not in body
    assert "<h2>What the drivers want</h2>" in body
    assert '<a href="https://www.youtube.com/watch?v=depot123"' in body


def test_paragraph_rules_in_detail():
    html = content.to_html(
        "One\ntwo\n\n\n\nThree<br />\nfour\n<h2>Title</h2>\nAfter\n<pre>keep\n\n  this</pre>\n"
        '[sic] [1] [[gallery]] [note]kept[/note] [video src="https://example.org/v.mp4"]'
    )
    assert html.startswith("<p>One<br>\ntwo</p>\n<p>Three<br>\nfour</p>")
    assert "<h2>Title</h2>" in html and "<p>After</p>" in html
    assert "<pre>keep\n\n  this</pre>" in html
    assert "[sic] [1] [gallery] kept" in html
    assert '<a href="https://example.org/v.mp4">' in html


def test_only_video_and_post_urls_alone_on_a_line_become_links():
    html = content.to_html("Watch:\nhttps://youtu.be/abc123\nor read\nhttps://example.org/report\nlater.")
    assert '<p><a href="https://youtu.be/abc123">https://youtu.be/abc123</a></p>' in html
    assert "<p>or read<br>\nhttps://example.org/report<br>\nlater.</p>" in html


# --- Comments ------------------------------------------------------------------------------


def test_comments_keep_status_and_threads_one_level_deep(imported):
    rent = article(101)
    comments = {comment.wordpress_id: comment for comment in Comment.objects.filter(article=rent)}
    assert sorted(comments) == [1001, 1002, 1003, 1004]  # spam, trash and the pingback stay behind
    assert comments[1001].status == Comment.Status.APPROVED
    assert comments[1004].status == Comment.Status.PENDING
    assert comments[1001].parent is None
    assert comments[1002].parent == comments[1001]
    assert comments[1003].parent == comments[1001]  # a reply to a reply joins the thread's top
    first = comments[1001]
    assert (first.name, first.email) == ("Priya", "priya@example.org")
    assert first.created_at == datetime(2021, 3, 14, 11, 0, tzinfo=UTC)
    assert first.body == "Brilliant news.\n\nWell done everyone & thanks to the hall committee."
    assert comments[1002].body == "Agreed.\nSee you at the ballot."
    assert counts_line(imported, "comments") == {
        "created": 4, "updated": 0, "unchanged": 0, "skipped": 3, "failed": 0
    }  # fmt: skip


# --- Pages and other post types ------------------------------------------------------------


def test_pages_become_static_pages_and_menus_are_skipped(imported):
    page = Page.objects.get(wordpress_id=301)
    assert (page.title, page.slug, page.summary) == ("About the Courier", "about-the-courier", "Who we are.")
    assert page.body.startswith("<p>The Courier is owned by the people who write it")
    assert page.in_footer is False
    assert not Page.objects.filter(wordpress_id=302).exists()  # a draft page
    assert "Other post types skipped: nav_menu_item 2" in imported


# --- Redirects -----------------------------------------------------------------------------


def test_old_wordpress_paths_answer_301(media_storage, imported, anonymous):
    rent = article(101)
    march = Image.objects.get(wordpress_id=202)
    expected = {
        "/2021/03/tenants-win-rent-freeze/": rent.get_absolute_url(),
        "/category/housing/": "/section/housing/",
        "/category/news/local/": "/section/local/",
        "/tag/%E2%9C%8A-solidarity/": "/tag/solidarity/",
        "/wp-content/uploads/2021/03/march.jpg": march.file.url,
        "/wp-content/uploads/2021/03/march-1024x640.jpg": march.file.url,
        "/about-the-courier/": "/about/about-the-courier/",
    }
    for old, new in expected.items():
        response = anonymous.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert anonymous.get(rent.get_absolute_url()).status_code == 200


def test_a_path_that_is_already_the_new_url_is_not_stored(imported):
    assert not OldPath.objects.filter(path=article(108).get_absolute_url()).exists()
    for path in ("/tag/rent/", "/author/mara/", "/"):
        assert not OldPath.objects.filter(path=path).exists()


# --- Running again, dry runs, --since ------------------------------------------------------


# --- Failures ------------------------------------------------------------------------------


# --- Progress and large files --------------------------------------------------------------
