"""Hostile text in every field a reader, a contributor or an import can fill is shown as text, never run.

Each field gets a script tag, an attribute break-out with an onerror handler and a javascript:
URL at once (security_helpers.HOSTILE). Each test checks the words are on the page, escaped, and
that nothing on the page would run.
"""

import io

import markupsafe
import pytest
from defusedxml import ElementTree as ET
from django.core.management import call_command
from django.utils.html import escape
from taggit.models import Tag

from articles.factories import (
    make_article,
    make_author,
    make_image,
    make_page,
    make_section,
    picture_bytes,
)
from articles.models import Article, Comment, Correction
from supporters.models import CallToAction, Donation, GivingPage, Supporter
from tests.security_helpers import (
    BREAKOUT,
    HOSTILE,
    SCRIPT,
    assert_escaped,
    dangerous_markup,
    page,
    sign_in_by_link,
    signed_in,
    staff_user,
    supporter_user,
)
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.COMMENT_MIN_SECONDS = 0


def shown_escaped(html, text=HOSTILE):
    """The words are there, as text: a field left off the page would prove nothing.

    Reader pages are Jinja templates and the admin Django's: the two escape a quote as &#34;
    and &quot;, the same text to a browser.
    """
    spellings = {escape(text), str(markupsafe.escape(text))}
    assert any(s in html for s in spellings), f"{text!r} is not on the page as escaped text"
    assert_escaped(html)


# --- What readers type ----------------------------------------------------------------------------


@pytest.fixture
def open_article():
    return make_article("Open for comments", comments="open")


def comment_data(client, **fields):
    from tests.comment_helpers import stamp

    return {
        "name": HOSTILE[:80],
        "email": "eve@example.com",
        "body": HOSTILE,
        "rendered": stamp(client),
        **fields,
    }


def test_comment_name_and_body_are_escaped_on_the_article_page(anonymous, open_article):
    user, _, _ = supporter_user("eve@example.com", name=HOSTILE[:80])  # signed in, they comment as this
    eve = signed_in(user)
    response = eve.post(f"/comments/{open_article.pk}/post/", comment_data(eve))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED and comment.body == HOSTILE
    for _ in ("miss", "hit"):
        html = page(anonymous, open_article.get_absolute_url())
        shown_escaped(html, HOSTILE[:80])
        assert escape(SCRIPT) in html


def test_comment_is_escaped_in_the_no_javascript_preview_and_in_a_refusal(client, open_article, settings):
    preview = client.post(f"/comments/{open_article.pk}/preview/", comment_data(client))
    assert preview.status_code == 200
    shown_escaped(preview.content.decode())
    settings.COMMENT_MIN_SECONDS = 60  # refused as too quick: the form comes back with the words in it
    refused = client.post(f"/comments/{open_article.pk}/post/", comment_data(client))
    assert refused.status_code == 400
    shown_escaped(refused.content.decode())
    assert not Comment.objects.exists()


def test_a_reply_page_quotes_the_parent_comment_escaped(client, open_article):
    parent = Comment.objects.create(
        article=open_article, name=HOSTILE[:80], email="e@example.com", body=HOSTILE, status="approved"
    )
    shown_escaped(page(client, f"/comments/{open_article.pk}/reply/{parent.pk}/"))


def test_comment_text_in_the_moderators_list_is_escaped(open_article):
    Comment.objects.create(article=open_article, name=HOSTILE[:80], email="e@example.com", body=HOSTILE)
    html = page(signed_in(staff_user("Moderator")), "/admin/articles/comment/")
    assert escape(HOSTILE[:80]) in html
    assert 'aria-label="Approve the comment from Eve &lt;script&gt;' in html  # the buttons' labels too
    assert_escaped(html, admin=True)


def test_support_form_name_is_escaped_when_the_form_comes_back(client):
    response = client.post(
        "/support/",
        {
            "frequency": "monthly",
            "amount": "-1",
            "name": HOSTILE,
            "email": "eve@example.com",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    shown_escaped(response.content.decode())
    assert not Donation.objects.exists()


def test_supporters_name_is_escaped_on_the_thanks_and_account_pages_and_for_finance(client):
    donation, finished = give(client, name=HOSTILE, email="eve@example.com")
    assert Donation.objects.get().given_name == HOSTILE
    shown_escaped(page(client, finished["Location"]))
    sign_in_by_link(Supporter.objects.get(), client)
    client.post("/account/details/", {"name": HOSTILE})
    assert Supporter.objects.get().name == HOSTILE
    shown_escaped(page(client, "/account/"))
    finance = signed_in(staff_user("Finance"))
    lists_and_pages = (
        "/admin/supporters/supporter/",
        "/admin/supporters/donation/",  # the giver column: the name over the address
        f"/admin/supporters/donation/{donation.pk}/change/",
    )
    for url in lists_and_pages:
        html = page(finance, url)
        assert escape(HOSTILE) in html
        assert_escaped(html, admin=True)


def test_search_query_is_escaped_in_the_title_the_box_and_the_answer(anonymous):
    make_article("Something else")
    for _ in ("miss", "hit"):
        response = anonymous.get("/search/", {"q": HOSTILE})
        shown_escaped(response.content.decode())


def test_typed_email_in_the_sign_in_form_is_escaped(anonymous):
    response = anonymous.post("/account/login/", {"email": HOSTILE})
    assert response.status_code == 400
    assert_escaped(response.content.decode())
    response = anonymous.get("/account/login/", {"email": BREAKOUT})
    assert BREAKOUT not in response.content.decode()
    assert_escaped(response.content.decode())


# --- What contributors and editors type -------------------------------------------------------------


@pytest.fixture
def hostile_article():
    section = make_section(HOSTILE[:80], slug="hostile-section", description=HOSTILE)
    author = make_author(HOSTILE[:120], slug="hostile-author", bio=HOSTILE)
    image = make_image(alt_text=HOSTILE, caption=HOSTILE, credit=HOSTILE[:150])
    article = make_article(
        HOSTILE,
        section=section,
        authors=[author],
        tags=[HOSTILE[:100]],
        action_links=[(HOSTILE[:80], "https://petition.example/sign")],
        featured_image=image,
        standfirst=HOSTILE,
        body=(
            f"<p>Fine words.</p>{SCRIPT}<p>{BREAKOUT}</p>"
            '<p><a href="javascript:alert(1)">click</a> '
            '<a href="https://ok.example/" onclick="alert(1)">ok</a></p>'
            '<img src="https://evil.example/x.png" onerror="alert(1)"><svg onload="alert(1)"></svg>'
            '<iframe src="javascript:alert(1)"></iframe><p style="background:url(javascript:alert(1))">s</p>'
        ),
        comments="open",
    )
    Correction.objects.create(article=article, text=HOSTILE)
    return Article.objects.get(pk=article.pk)


def test_article_fields_are_escaped_and_its_body_sanitized(anonymous, hostile_article):
    body = hostile_article.body
    assert "<script" not in body and "onerror" not in body and "onclick" not in body
    assert "javascript:" not in body and "evil.example" not in body and "<iframe" not in body
    assert "style=" not in body and "<svg" not in body
    assert "Fine words." in body
    for _ in ("miss", "hit"):
        html = page(anonymous, hostile_article.get_absolute_url())
        shown_escaped(html)  # headline, standfirst, section, byline, caption, credit, correction
        for field in (HOSTILE[:80], HOSTILE[:100], HOSTILE[:150]):  # link label, tag, credit
            assert escape(field) in html


def test_hostile_names_are_escaped_on_every_list_page(anonymous, hostile_article):
    day = hostile_article.local_date
    tag = Tag.objects.get()
    urls = [
        "/",
        "/latest/",
        hostile_article.section.get_absolute_url(),
        hostile_article.authors.get().get_absolute_url(),
        f"/tag/{tag.slug}/",
        f"/archive/{day:%Y}/{day:%m}/",
        "/search/?q=fine+words",
    ]
    for url in urls:
        html = page(anonymous, url)
        shown_escaped(html, HOSTILE[:80])  # the section's name in the navigation and the teasers


def test_feeds_carry_hostile_text_as_text_and_bodies_sanitized(anonymous, hostile_article):
    namespaces = {"content": "http://purl.org/rss/1.0/modules/content/"}
    root = ET.fromstring(anonymous.get("/feed/").content)
    item = root.find("channel/item")
    # RSS readers may read titles and descriptions as HTML: there they must stay text.
    for field in ("title", "description"):
        assert item.findtext(field) == escape(HOSTILE)
    assert dangerous_markup(item.findtext("content:encoded", namespaces=namespaces)) == []
    atom = anonymous.get("/feed/atom/").content.decode()
    assert SCRIPT not in atom and BREAKOUT not in atom


def test_static_page_and_giving_page_words_are_escaped(anonymous):
    make_page(HOSTILE[:120], slug="hostile", summary=HOSTILE[:300], body=f"<p>Ours.</p>{SCRIPT}{BREAKOUT}")
    shown_escaped(page(anonymous, "/about/hostile/"), HOSTILE[:120])
    GivingPage.objects.create(headline=HOSTILE[:150], body=HOSTILE)
    shown_escaped(page(anonymous, "/support/"))


def test_call_to_action_words_are_escaped(anonymous, hostile_article):
    for placement in ("banner", "end", "inline", "sidebar"):
        CallToAction.objects.create(
            name=f"Hostile {placement}",
            placement=placement,
            headline=HOSTILE[:120],
            text=HOSTILE,
            button_label=HOSTILE[:40],
            link="/support/",
            after_paragraph=1,
        )
    html = page(anonymous, hostile_article.get_absolute_url())
    shown_escaped(html)
    assert escape(HOSTILE[:40]) in html


def test_hostile_headlines_are_escaped_in_the_newsroom(hostile_article):
    editor = signed_in(staff_user("Editor"))
    for url in (
        "/admin/articles/article/",
        f"/admin/articles/article/{hostile_article.pk}/change/",
        "/admin/",
    ):
        html = page(editor, url)
        assert_escaped(html, admin=True)


# --- What an import brings -------------------------------------------------------------------------

WXR = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Hostile export</title>
  <link>https://old.example.invalid</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://old.example.invalid</wp:base_site_url>
  <wp:base_blog_url>https://old.example.invalid</wp:base_blog_url>
  <wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[eve]]></wp:author_login>
    <wp:author_display_name><![CDATA[{text}]]></wp:author_display_name></wp:author>
  <wp:category><wp:term_id>4</wp:term_id><wp:category_nicename><![CDATA[hostile]]></wp:category_nicename>
    <wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[{name}]]></wp:cat_name>
    <wp:category_description><![CDATA[{text}]]></wp:category_description></wp:category>
  <wp:tag><wp:term_id>11</wp:term_id><wp:tag_slug><![CDATA[hostile-tag]]></wp:tag_slug>
    <wp:tag_name><![CDATA[{name}]]></wp:tag_name></wp:tag>
  <item>
    <title><![CDATA[{text}]]></title>
    <link>https://old.example.invalid/2021/03/hostile/</link>
    <dc:creator><![CDATA[eve]]></dc:creator>
    <content:encoded><![CDATA[<p>Imported words.</p>{script}<p onclick="alert(1)">{breakout}</p>
<a href="javascript:alert(1)">click</a><img src="https://evil.example/x.png" onerror="alert(1)">]]></content:encoded>
    <excerpt:encoded><![CDATA[{text}]]></excerpt:encoded>
    <wp:post_id>101</wp:post_id>
    <wp:post_date_gmt><![CDATA[2021-03-14 09:30:00]]></wp:post_date_gmt>
    <wp:comment_status><![CDATA[open]]></wp:comment_status>
    <wp:post_name><![CDATA[hostile]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <category domain="category" nicename="hostile"><![CDATA[{name}]]></category>
    <category domain="post_tag" nicename="hostile-tag"><![CDATA[{name}]]></category>
    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[201]]></wp:meta_value></wp:postmeta>
    <wp:comment>
      <wp:comment_id>1001</wp:comment_id>
      <wp:comment_author><![CDATA[{name}]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[eve@example.org]]></wp:comment_author_email>
      <wp:comment_date_gmt><![CDATA[2021-03-14 11:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[{text}]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[comment]]></wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
  </item>
  <item>
    <title><![CDATA[{name}]]></title>
    <excerpt:encoded><![CDATA[{text}]]></excerpt:encoded>
    <wp:post_id>201</wp:post_id>
    <wp:post_date_gmt><![CDATA[2021-03-13 18:00:00]]></wp:post_date_gmt>
    <wp:status><![CDATA[inherit]]></wp:status>
    <wp:post_parent>101</wp:post_parent>
    <wp:post_type><![CDATA[attachment]]></wp:post_type>
    <wp:attachment_url><![CDATA[https://old.example.invalid/wp-content/uploads/2021/03/steps.jpg]]></wp:attachment_url>
    <wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key><wp:meta_value><![CDATA[2021/03/steps.jpg]]></wp:meta_value></wp:postmeta>
    <wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[{raw}]]></wp:meta_value></wp:postmeta>
  </item>
</channel>
</rss>
"""


def test_an_imported_archive_is_sanitized_and_its_text_escaped(anonymous, tmp_path):
    # In an export, text fields hold HTML-escaped text: the importer unescapes it into plain text.
    text, name = escape(HOSTILE), escape(HOSTILE[:60])
    export = tmp_path / "hostile.xml"
    export.write_text(
        WXR.replace("{text}", text)
        .replace("{name}", name)
        .replace("{script}", SCRIPT)
        .replace("{breakout}", BREAKOUT)
        .replace("{raw}", HOSTILE)  # post meta is raw text in an export
    )
    uploads = tmp_path / "uploads" / "2021" / "03"
    uploads.mkdir(parents=True)
    (uploads / "steps.jpg").write_bytes(picture_bytes(400, 250, seed=3))
    call_command(
        "import_wordpress", str(export), "--media-dir", str(tmp_path / "uploads"), stdout=io.StringIO()
    )

    article = Article.objects.get(wordpress_id=101)
    assert article.headline == HOSTILE
    assert "Imported words." in article.body
    for forbidden in ("<script", "onclick", "onerror", "javascript:", "evil.example"):
        assert forbidden not in article.body
    assert article.featured_image.alt_text == HOSTILE
    html = page(anonymous, article.get_absolute_url())
    shown_escaped(html)  # headline, standfirst, byline, alt text, the comment
    assert escape(HOSTILE[:60]) in html  # section, tag, commenter
    for url in (article.section.get_absolute_url(), article.authors.get().get_absolute_url(), "/"):
        html = page(anonymous, url)
        assert_escaped(html)


def test_a_contributors_javascript_link_is_refused_by_the_article_form():
    from tests.editorial_helpers import article_form, form_errors

    client = signed_in(staff_user("Contributor"))
    section = make_section("News")
    data = article_form(section=section.pk, headline="With a bad link")
    data.update(
        {
            "action_links-TOTAL_FORMS": "1",
            "action_links-0-label": "Click",
            "action_links-0-url": "javascript:alert(1)",
            "action_links-0-position": "0",
        }
    )
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200  # the form again, with the error
    assert "Enter a valid URL" in form_errors(response)
    assert not Article.objects.filter(headline="With a bad link").exists()
