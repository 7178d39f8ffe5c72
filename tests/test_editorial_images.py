"""The image library in the admin, and the body HTML the rich-text editor writes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.factories import make_article, make_image, picture_bytes
from articles.models import Article, Image
from articles.sanitize import clean_html
from tests.editorial_helpers import staff

pytestmark = pytest.mark.django_db

IMAGES = "/admin/articles/image/"


@pytest.fixture
def as_editor():
    client = Client()
    client.force_login(staff("eddie", "Editor"))
    return client


def post_image(client, data, name="photo.jpg", **fields):
    form = {"alt_text": "Tenants outside the town hall", "caption": "The march", "credit": "Union", **fields}
    if data is not None:
        form["upload"] = SimpleUploadedFile(name, data, "image/jpeg")
    return client.post(f"{IMAGES}add/", form)


def upload_errors(response):
    return " ".join(str(e) for e in response.context["adminform"].form.errors.get("upload", []))


def test_upload_is_stored_upright_and_listed_with_a_thumbnail_and_its_address(as_editor):
    response = post_image(as_editor, picture_bytes(800, 500, seed=3))
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (800, 500)
    assert image.caption == "The march" and image.credit == "Union"
    listing = as_editor.get(IMAGES).content.decode()
    assert f'<img src="{image.file.url}"' in listing
    assert f'value="{image.file.url}"' in listing  # the address to paste into the body editor
    page = as_editor.get(f"{IMAGES}{image.pk}/change/").content.decode()
    assert "Address for the body editor" in page and f'value="{image.file.url}"' in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a picture", "notes.pdf", "not an image we can read"),
        (picture_bytes(40, 40)[:80], "broken.jpg", "not an image we can read"),
        (picture_bytes(400, 400, image_format="TIFF"), "scan.tiff", "Upload a JPEG, PNG, WebP or GIF image."),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_on_the_field(as_editor, data, name, message):
    response = post_image(as_editor, data, name)
    assert response.status_code == 200
    assert message in upload_errors(response)
    assert not Image.objects.exists()


def test_oversized_files_are_refused(as_editor, settings):
    settings.IMAGE_MAX_BYTES = 1000
    response = post_image(as_editor, picture_bytes(600, 600))
    assert "images may be at most" in upload_errors(response)


def test_alt_text_and_a_file_are_required(as_editor):
    response = post_image(as_editor, picture_bytes(100, 100), alt_text="")
    assert "alt_text" in response.context["adminform"].form.errors
    assert not Image.objects.exists()
    response = post_image(as_editor, None)
    assert "Choose a picture to upload." in upload_errors(response)


def test_changing_only_the_caption_keeps_the_picture(as_editor):
    image = make_image(alt_text="A picture", width=300, height=200)
    stored = image.file.name
    response = as_editor.post(
        f"{IMAGES}{image.pk}/change/", {"alt_text": "A picture", "caption": "New caption", "credit": ""}
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "New caption" and image.file.name == stored


# --- What the editor writes is what readers get ------------------------------------------------

# HTML as django-prose-editor writes it with the extensions configured in articles/admin/editor.py.
EDITOR_OUTPUT = (
    "<h2>What happened</h2><p>The council <strong>voted</strong> <em>again</em>, "
    '<a href="https://example.org/minutes" rel="noopener noreferrer">see the minutes</a>.</p>'
    "<blockquote><p>We will not move.</p></blockquote>"
    "<ul><li><p>One</p></li></ul>"
    '<ol type="a" start="2"><li><p>Two</p></li></ol>'
    '<figure class="figure"><img src="/media/images/2026/11/march.jpg" alt="The march">'
    '<figcaption class="figure-caption">The march on Saturday</figcaption></figure>'
    "<hr><h3>Next</h3><p>Line one<br>line two</p>"
)


def test_the_sanitizer_keeps_everything_the_editor_writes():
    assert clean_html(EDITOR_OUTPUT) == EDITOR_OUTPUT


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        # A picture from elsewhere goes whole, with the figure and caption around it: no broken image.
        (
            '<figure class="figure evil"><img src="https://evil.example/x.jpg" alt="x">'
            '<figcaption class="figure-caption">From elsewhere</figcaption></figure><p>After</p>',
            "<p>After</p>",
        ),
        (
            '<img src="/media/a.jpg" onerror="alert(1)" style="width:9px" data-file="3">',
            '<img src="/media/a.jpg">',
        ),
        ('<img src="/media//evil.example/a.jpg">', ""),
        ('<ol type="disc" start="-1" data-type="x"><li>a</li></ol>', "<ol><li>a</li></ol>"),
        ('<a href="javascript:alert(1)" target="_blank">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<p style="text-align:center" class="x">a</p><table><tr><td>t</td></tr></table>', "<p>a</p>t"),
        ("<script>alert(1)</script><pre><code>x</code></pre>", "x"),
    ],
)
def test_the_sanitizer_still_drops_anything_unsafe(dirty, clean):
    assert clean_html(dirty) == clean


def test_editor_output_renders_unchanged_on_the_article_page(anonymous):
    article = make_article("Council votes", body=EDITOR_OUTPUT)
    assert Article.objects.get(pk=article.pk).body == EDITOR_OUTPUT
    assert EDITOR_OUTPUT in anonymous.get(article.get_absolute_url()).content.decode()


def test_a_contributor_uploads_pictures_but_cannot_change_or_delete_one_in_use():
    contributor = Client()
    contributor.force_login(staff("connie", "Contributor", byline=True))
    response = post_image(contributor, picture_bytes(400, 300, seed=5))
    assert response.status_code == 302
    image = make_image(alt_text="On the front page")
    make_article("Published with it", featured_image=image)
    changed = contributor.post(f"{IMAGES}{image.pk}/change/", {"alt_text": "Vandalised"})
    assert changed.status_code == 403
    assert contributor.post(f"{IMAGES}{image.pk}/delete/", {"post": "yes"}).status_code == 403
    image.refresh_from_db()
    assert image.alt_text == "On the front page"


def test_the_admin_refuses_a_picture_from_another_site_and_keeps_the_text(as_editor):
    from tests.editorial_helpers import CHANGE, article_form, form_errors

    article = make_article("Radio mast")
    body = (
        '<p>Our words.</p><figure class="figure"><img src="https://upload.example.org/mast.jpg" '
        'alt="A radio mast"><figcaption class="figure-caption">The mast</figcaption></figure>'
    )
    response = as_editor.post(CHANGE.format(article.pk), article_form(article, body=body))
    errors = form_errors(response)
    assert "Pictures must come from our image library" in errors
    assert "https://upload.example.org/mast.jpg" in errors
    assert "Our words." in response.content.decode()  # what was typed is still in the form
    article.refresh_from_db()
    assert "mast.jpg" not in article.body
