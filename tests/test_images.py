"""Uploads are checked and cleaned; renditions come from the worker, never a reader's request."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as PILImage

from articles.factories import make_article, make_image, picture_bytes
from articles.models import Image


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, "image/jpeg")


def jpeg_with_metadata(width=400, height=200):
    picture = PILImage.new("RGB", (width, height), (200, 30, 30))
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; show rotated 90° clockwise
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # a GPS latitude
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_exif_orientation_is_applied_and_metadata_stripped(db, media_storage):
    image = Image(alt_text="A red rectangle")
    image.store_upload(upload(jpeg_with_metadata()))
    image.save()
    stored = PILImage.open(image.file.storage.open(image.file.name))
    assert stored.size == (200, 400)
    assert (image.width, image.height) == (200, 400)
    assert not stored.getexif()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not an image at all", "not an image we can read"),
        (picture_bytes(20, 20)[:60], "not an image we can read"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ValidationError, match=message):
        Image(alt_text="x").store_upload(upload(data))


def test_unsupported_image_format_is_refused():
    out = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ValidationError, match="Upload a JPEG, PNG, WebP or GIF image"):
        Image(alt_text="x").store_upload(upload(out.getvalue(), "picture.bmp"))


def test_oversized_file_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="images may be at most"):
        Image(alt_text="x").store_upload(upload(picture_bytes(800, 600)))


def test_too_many_pixels_are_refused(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="million pixels"):
        Image(alt_text="x").store_upload(upload(picture_bytes(100, 100)))


@pytest.mark.django_db(transaction=True)
def test_worker_makes_renditions_and_the_article_page_offers_them(anonymous, media_storage):
    image = make_image(alt_text="Bands of yellow")
    article = make_article("With a picture", featured_image=image)
    before = anonymous.get(article.get_absolute_url()).content.decode()
    assert image.file.url in before  # the original, until renditions exist
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    image.refresh_from_db()
    assert [w for w, _ in image.renditions["webp"]] == [360, 720, 1080, 1600]
    assert image.renditions["social"].endswith("-social.jpg")
    card = PILImage.open(image.file.storage.open(image.renditions["social"]))
    assert card.size == (1200, 630)
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert 'type="image/webp"' in page
    assert "720w" in page
    assert 'width="1600" height="1000"' in page
    # Browsers without srcset get the full-size copy, stripped like the rest, not the upload.
    assert f'src="{image.address(image.renditions["fallback"][-1][1])}"' in page
    assert image.renditions["fallback"][-1][0] == 1600
