"""Media in the storage: the local disk, or a real S3-compatible bucket (SeaweedFS, on loopback).

Uploads, renditions and their removal go through Django's storage API only, so each test here
runs on both; readers' pages carry the storage's addresses, built from the names kept.
"""

import io
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from PIL import Image as PILImage

from articles.factories import make_article, make_image, picture_bytes
from articles.models import Image

pytestmark = pytest.mark.django_db(transaction=True)


def upload_of(data, name):
    return SimpleUploadedFile(name, data, "image/jpeg")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def fetched(address):
    """What a reader's browser gets at a media address: from the bucket with no credentials, or
    the file nginx serves from MEDIA_ROOT under MEDIA_URL."""
    if address.startswith("http"):
        with urllib.request.urlopen(address, timeout=10) as answer:  # noqa: S310 - loopback test server
            return answer.read()
    return (Path(settings.MEDIA_ROOT) / unquote(address.removeprefix(settings.MEDIA_URL))).read_bytes()


def test_an_upload_and_its_renditions_are_stored_and_readers_load_them(media_storage, anonymous):
    image = make_image(alt_text="Bands of yellow")
    article = make_article("With a picture", featured_image=image)
    run_worker()
    image.refresh_from_db()
    # Names, not addresses: a move to another bucket or CDN moves every picture at once.
    assert all(not name.startswith(("/", "http")) for name in image.rendition_names())
    assert all(default_storage.exists(name) for name in image.stored_names())
    page = anonymous.get(article.get_absolute_url()).content.decode()
    largest = image.largest_fallback_url
    assert f'src="{largest}"' in page and image.webp_srcset in page
    with default_storage.open(image.renditions["fallback"][-1][1]) as copy:
        assert fetched(largest) == copy.read()
    card = PILImage.open(default_storage.open(image.renditions["social"]))
    assert card.size == (1200, 630)
    webp = image.address(image.renditions["webp"][0][1])
    if webp.startswith("http"):
        # Sent as the picture it is, and kept by browsers and CDNs: its name never changes hands.
        with urllib.request.urlopen(webp, timeout=10) as answer:  # noqa: S310 - loopback test server
            assert answer.headers["Content-Type"] == "image/webp"
            assert answer.headers["Cache-Control"] == "public, max-age=604800"


def test_a_missing_rendition_or_upload_never_breaks_a_page_or_a_feed(media_storage, anonymous):
    image = make_image(alt_text="A picture that goes missing")
    article = make_article("Pictures lost", featured_image=image)
    run_worker()
    image.refresh_from_db()
    for name in image.stored_names():
        default_storage.delete(name)
    assert anonymous.get(article.get_absolute_url()).status_code == 200
    assert anonymous.get("/").status_code == 200
    feed = anonymous.get("/feed/")
    assert feed.status_code == 200 and b"Pictures lost" in feed.content and b"<enclosure" not in feed.content
    # Renditions asked for again find no upload: the task says so and the page stays as it was.
    from articles.tasks import make_renditions

    assert make_renditions.call(image.pk) == "missing"
    assert anonymous.get(article.get_absolute_url()).status_code == 200


def test_replacing_a_picture_removes_its_old_files_once_the_change_commits(media_storage):
    image = make_image(alt_text="First picture")
    run_worker()
    image.refresh_from_db()
    old = image.stored_names()
    assert len(old) == 10 and all(default_storage.exists(name) for name in old)

    image.store_upload(upload_of(picture_bytes(300, 200), "second.jpg"))
    with transaction.atomic():
        image.save()
        # Still named by the database until it commits: nothing is removed yet.
        assert all(default_storage.exists(name) for name in old)
    assert not any(default_storage.exists(name) for name in old)
    assert default_storage.exists(image.file.name) and image.renditions == {}
    run_worker()
    image.refresh_from_db()
    assert all(default_storage.exists(name) for name in image.stored_names())


def test_a_replacement_rolled_back_keeps_the_old_files(media_storage):
    image = make_image(alt_text="Kept picture")
    old = image.stored_names()
    with pytest.raises(RuntimeError), transaction.atomic():
        image.store_upload(upload_of(picture_bytes(300, 200), "never.jpg"))
        image.save()
        raise RuntimeError("the editor's save fails after the upload")
    assert all(default_storage.exists(name) for name in old)


def test_deleting_an_image_removes_its_upload_and_renditions(media_storage):
    image = make_image(alt_text="Soon gone")
    run_worker()
    image.refresh_from_db()
    names = image.stored_names()
    Image.objects.filter(pk=image.pk).delete()
    assert names and not any(default_storage.exists(name) for name in names)


def test_renditions_made_twice_leave_only_the_second_set(media_storage):
    from articles.tasks import make_renditions

    image = make_image(alt_text="Made twice")
    assert make_renditions.call(image.pk) == "done"
    image.refresh_from_db()
    first = set(image.rendition_names())
    assert make_renditions.call(image.pk) == "done"
    image.refresh_from_db()
    second = set(image.rendition_names())
    assert not first & second
    assert all(default_storage.exists(name) for name in second)
    assert not any(default_storage.exists(name) for name in first)


def test_a_storage_that_refuses_an_upload_gives_the_editor_a_clear_message(media_storage, settings):
    from canary.media_storage import media_settings

    with pytest.MonkeyPatch.context() as patch:
        # Nothing listens on port 1: the disk case gets a bucket that is not there either.
        patch.setenv("AWS_STORAGE_BUCKET_NAME", "canary-media")
        patch.setenv("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:1")
        patch.setenv("AWS_ACCESS_KEY_ID", "nobody")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "nothing")
        storage, _, _ = media_settings("/media/")
        storage["OPTIONS"]["client_options"].update(connect_timeout=1, retries={"max_attempts": 1})
        settings.STORAGES = {**settings.STORAGES, "default": storage}
        image = Image(alt_text="Not stored")
        with pytest.raises(ValidationError, match="could not be stored") as refused:
            image.store_upload(upload_of(picture_bytes(200, 100), "photo.jpg"))
    assert "try again" in refused.value.messages[0]
    assert not image.file and Image.objects.count() == 0


def test_make_renditions_queues_the_images_without_them_for_the_worker(media_storage):
    image = make_image(alt_text="Renditions forgotten")
    run_worker()
    made = make_image(alt_text="Renditions made")
    run_worker()
    Image.objects.filter(pk=image.pk).update(renditions={})
    made.refresh_from_db()
    before = made.renditions
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "Renditions queued for 1 images." in out.getvalue()
    run_worker()
    image.refresh_from_db()
    made.refresh_from_db()
    assert all(default_storage.exists(name) for name in image.stored_names())
    assert len(image.rendition_names()) == 9 and made.renditions == before


def test_an_editor_uploads_and_replaces_in_the_admin_and_readers_see_the_bucket_s_picture(
    media_storage, anonymous
):
    from django.test import Client

    from tests.editorial_helpers import staff

    editor = Client()
    editor.force_login(staff("eddie", "Editor"))
    form = {"alt_text": "Tenants outside the town hall", "caption": "", "credit": ""}
    first = upload_of(picture_bytes(800, 500, seed=3), "march.jpg")
    assert editor.post("/admin/articles/image/add/", {**form, "upload": first}).status_code == 302
    image = Image.objects.get()
    listing = editor.get("/admin/articles/image/").content.decode()
    address = image.file.url
    assert f'value="{address}"' in listing  # what the editor pastes into a body
    article = make_article("A march", body=f'<p>Look:</p><img src="{address}" alt="The march">')
    assert f'<img src="{address}"' in article.body  # our own library, wherever it lives
    assert f'src="{address}"' in anonymous.get(article.get_absolute_url()).content.decode()
    with default_storage.open(image.file.name) as stored:
        assert fetched(address) == stored.read()

    run_worker()
    image.refresh_from_db()
    old = image.stored_names()
    second = upload_of(picture_bytes(600, 400, seed=4), "march.jpg")
    response = editor.post(f"/admin/articles/image/{image.pk}/change/", {**form, "upload": second})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name not in old and (image.width, image.height) == (600, 400)
    assert not any(default_storage.exists(name) for name in old)
    assert fetched(image.file.url) == default_storage.open(image.file.name).read()
