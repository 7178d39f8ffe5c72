"""Checking uploaded pictures and making their renditions with Pillow.

Uploads are opened and re-encoded before they are stored, which applies the EXIF
orientation and drops every other piece of metadata (GPS position, camera serial...).
Renditions are made by a background task, never in a reader's request.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
RENDITION_WIDTHS = (360, 720, 1080, 1600)
SOCIAL_CARD_SIZE = (1200, 630)


def max_bytes():
    return getattr(settings, "IMAGE_MAX_BYTES", 10 * 1024 * 1024)


def max_pixels():
    return getattr(settings, "IMAGE_MAX_PIXELS", 40_000_000)


MAX_SIDE = 16_383


def open_checked(upload):
    """Open an upload as a Pillow image, or raise a ValidationError a person understands."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            f"This file is {size / 1_048_576:.1f} MB; images may be at most {max_bytes() // 1_048_576} MB."
        )
    upload.seek(0)
    try:
        picture = PILImage.open(upload)
        if picture.format not in FORMATS:
            raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.")
        width, height = picture.size
        if width * height > max_pixels():
            raise ValidationError(
                f"This image is {width}×{height} pixels; images may have at most "
                f"{max_pixels() // 1_000_000} million pixels."
            )
        if max(width, height) > MAX_SIDE:
            # WebP, the format of the copies readers get, stops there: the worker could make none.
            raise ValidationError(
                f"This image is {width}×{height} pixels; each side may be at most {MAX_SIDE:,} pixels."
            )
        picture.load()
    except ValidationError:
        raise
    except PILImage.DecompressionBombError:
        # Pillow refuses a header declaring over twice its own limit before we can count it.
        raise ValidationError(
            "This image declares far too many pixels; images may have at most "
            f"{max_pixels() // 1_000_000} million pixels."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("This file is not an image we can read, or it is damaged.") from None
    return picture


def normalised(picture):
    """The picture upright and with no metadata, encoded in its own format."""
    source_format = picture.format
    upright = ImageOps.exif_transpose(picture)
    out = io.BytesIO()
    if source_format == "GIF":
        # Re-encoding would keep only the first frame; metadata in a GIF is harmless text.
        picture.seek(0)
        upright = picture
    if source_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    # Pillow writes a JPEG's or GIF's comment back out: it is free text (HTML, a script, a
    # name) that we have no reason to serve, so it goes with the rest of the metadata.
    upright.info.pop("comment", None)
    save_options = {"JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 88}}.get(source_format, {})
    upright.save(out, format=source_format, **save_options)
    return out.getvalue(), upright.size, FORMATS[source_format]


def rendition(picture, width, image_format):
    copy = picture.copy()
    if copy.mode not in ("RGB", "RGBA"):
        copy = copy.convert("RGBA" if "transparency" in copy.info or copy.mode in ("LA", "PA") else "RGB")
    if image_format == "JPEG" and copy.mode != "RGB":
        copy = copy.convert("RGB")
    height = round(copy.height * width / copy.width)
    copy = copy.resize((width, height), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format=image_format, quality=82, **({"optimize": True} if image_format == "JPEG" else {}))
    return out.getvalue(), (width, height)


def social_card(picture):
    copy = picture.convert("RGB")
    card = ImageOps.fit(copy, SOCIAL_CARD_SIZE, PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    card.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
