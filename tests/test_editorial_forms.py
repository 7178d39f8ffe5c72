"""The article form on the editorial desk: the rich-text editor, the featured image, the admin's
CSP, bad dates and tags, and saves from a stale tab."""

import pytest
from django.core.management import call_command

from articles.factories import make_article, make_image
from articles.models import Author, Page
from tests.editorial_helpers import ADD, CHANGE, article_form, form_errors, signed_in

pytestmark = pytest.mark.django_db


def test_body_uses_the_rich_text_editor_with_only_what_the_sanitizer_keeps(as_editor):
    page = as_editor.get(ADD).content.decode()
    assert "data-django-prose-editor-configurable" in page
    for kept in (
        "Bold",
        "Italic",
        "Blockquote",
        "BulletList",
        "OrderedList",
        "Link",
        "Figure",
        "HorizontalRule",
    ):
        assert f"&quot;{kept}&quot;" in page
    for left_out in ("Table", "CodeBlock", "TextAlign", "Underline", "&quot;HTML&quot;"):
        assert left_out not in page.split("data-django-prose-editor-configurable")[1].split(">")[0]


def test_page_admin_uses_the_editor_too(as_editor):
    page = Page.objects.create(title="About us", slug="about-us", body="<p>Us.</p>")
    response = as_editor.get(f"/admin/articles/page/{page.pk}/change/").content.decode()
    assert "data-django-prose-editor-configurable" in response


def test_admin_allows_exactly_the_import_map_by_its_hash(as_editor, anonymous):
    import base64
    import hashlib
    import re

    response = as_editor.get(ADD)
    html = response.content.decode()
    maps = re.findall(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.S)
    assert maps, "the editor's import map is on the page"
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    for text in maps:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    make_article()
    reader = anonymous.get("/")["Content-Security-Policy"]
    assert "sha256-" not in reader and "script-src 'self';" in reader + ";"


def test_featured_image_shows_a_preview_thumbnail(as_editor):
    image = make_image(
        alt_text="Picket line at dawn", caption="Strikers", credit="Union", width=400, height=300
    )
    article = make_article("With picture", featured_image=image)
    page = as_editor.get(CHANGE.format(article.pk)).content.decode()
    assert f'src="{image.file.url}"' in page and "Picket line at dawn" in page


def test_demo_contributor_writes_as_an_author_and_the_command_is_idempotent(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    call_command("demo_accounts")
    call_command("demo_accounts")
    author = Author.objects.get(user__username="contributor")
    assert author.name == "Demo Contributor"
    assert Author.objects.filter(user__username="contributor").count() == 1


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01"])
def test_a_date_slip_like_year_9999_is_refused_and_the_desk_keeps_working(as_editor, typed):
    article = make_article("Dated with care")
    before = article.published_at
    form = article_form(article, published_at_0=typed, published_at_1="23:00:00")
    response = as_editor.post(CHANGE.format(article.pk), form)
    assert "Choose a date between 1990 and 2200." in form_errors(response)
    article.refresh_from_db()
    assert article.published_at == before
    assert as_editor.get("/admin/articles/article/").status_code == 200


def test_a_stale_save_from_your_own_other_tab_says_so_rather_than_blame_someone_else(editor):
    client = signed_in(editor)
    article = make_article("Two tabs")
    opened = article_form(article)
    assert client.post(CHANGE.format(article.pk), {**opened, "headline": "From tab one"}).status_code == 302
    response = client.post(CHANGE.format(article.pk), {**opened, "headline": "From tab two"})
    errors = form_errors(response)
    assert "You saved this article in another tab or window" in errors
    assert "Someone else" not in errors
    article.refresh_from_db()
    assert article.headline == "From tab one"


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("Rent strikes", {"Rent strikes"}),
        ("Housing, Rent strikes", {"Housing", "Rent strikes"}),
        ('"Rent strikes", Housing,', {"Housing", "Rent strikes"}),
        ("  Climate   change  ", {"Climate change"}),
    ],
)
def test_a_tag_of_several_words_is_one_tag_even_without_a_comma(as_editor, typed, tags):
    article = make_article("Tagged by hand")
    response = as_editor.post(CHANGE.format(article.pk), article_form(article, tags=typed))
    assert response.status_code == 302, form_errors(response)
    assert set(article.tags.names()) == tags
