"""Builder functions for content: the demo data command and the tests both use them.

They live in the app, not in tests/, because `make run` installs only what runs.
"""

import io
import itertools
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import ImageDraw, ImageFont

from .illustrations import describe, illustration
from .models import ActionLink, Article, Author, Image, Page, Section

_counter = itertools.count(1)


def media_host():
    """The host readers' browsers get pictures from: the bucket's or CDN's, else this site's."""
    return urlsplit(settings.MEDIA_ORIGIN or settings.SITE_URL).netloc


def picture_description(seed, scene=None):
    """What picture_bytes(seed=seed, scene=scene) shows, in words, for the start of an alt text."""
    return describe(seed, scene)


def picture_bytes(width=1600, height=1000, seed=0, image_format="JPEG", words=(), scene=None):
    """A generated picture: an illustrated scene of the city's places and people, no downloads.

    `scene` names one of illustrations.SCENES (else the seed picks one); the same seed always
    gives the same picture. `words`, lines of text, are written in dark ink on a light panel
    across the middle, so a picture can really show what its alt text says it shows.
    """
    picture = illustration(width, height, seed=seed, scene=scene)
    if words:
        _write(ImageDraw.Draw(picture), width, height, list(words), WORDS_INK, WORDS_PAPER)
    out = io.BytesIO()
    picture.save(out, format=image_format, **({"quality": 85} if image_format == "JPEG" else {}))
    return out.getvalue()


# The colours of the panel `words` are written on: dark ink on warm paper.
WORDS_INK, WORDS_PAPER = (36, 40, 56), (252, 246, 232)


def _write(draw, width, height, lines, dark, light):
    """Centre `lines` on a light, dark-edged panel, in Pillow's own font (nothing to download)."""
    margin = max(4, min(width, height) // 10)
    box = [margin, margin, width - margin, height - margin]
    draw.rectangle(box, fill=light, outline=dark, width=max(2, width // 300))
    room_width, room_height = box[2] - box[0] - 4 * margin, box[3] - box[1] - margin
    size = room_height // (len(lines) + 1)
    font = ImageFont.load_default(size=size)
    while size > 8 and max(draw.textlength(line, font=font) for line in lines) > room_width:
        size -= 1
        font = ImageFont.load_default(size=size)
    line_height = min(room_height // len(lines), size * 3 // 2)
    top = (box[1] + box[3]) // 2 - line_height * len(lines) // 2
    for number, line in enumerate(lines):
        centre = (width // 2, top + line_height * number + line_height // 2)
        draw.text(centre, line, fill=dark, font=font, anchor="mm")


def make_image(alt_text="A generated picture", caption="", credit="", seed=None, **kwargs):
    seed = next(_counter) if seed is None else seed
    image = Image(alt_text=alt_text, caption=caption, credit=credit)
    upload = SimpleUploadedFile(f"picture-{seed}.jpg", picture_bytes(seed=seed, **kwargs), "image/jpeg")
    image.store_upload(upload)
    image.save()
    return image


def make_section(name=None, **fields):
    name = name or f"Section {next(_counter)}"
    section, _ = Section.objects.get_or_create(
        slug=fields.pop("slug", slugify(name)), defaults={"name": name, **fields}
    )
    return section


def make_author(name=None, **fields):
    name = name or f"Author {next(_counter)}"
    author, _ = Author.objects.get_or_create(
        slug=fields.pop("slug", slugify(name)), defaults={"name": name, **fields}
    )
    return author


def make_article(
    headline=None,
    *,
    section=None,
    authors=None,
    tags=(),
    action_links=(),
    published_at=None,
    status=Article.Status.PUBLISHED,
    **fields,
):
    """A published article by default, published a minute ago unless told otherwise."""
    headline = headline or f"Story number {next(_counter)}"
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(minutes=1)
    fields.setdefault("standfirst", f"What happened, and why it matters: {headline.lower()}.")
    fields.setdefault("body", "<p>The first paragraph of the story.</p><p>The second paragraph.</p>")
    article = Article.objects.create(
        headline=headline,
        section=section or make_section("News"),
        status=status,
        published_at=published_at,
        **fields,
    )
    article.authors.set(authors if authors is not None else [make_author("Staff Reporter")])
    if tags:
        article.tags.set(list(tags))
    for position, (label, url) in enumerate(action_links):
        ActionLink.objects.create(article=article, label=label, url=url, position=position)
    return article


def make_page(title, body="", **fields):
    page, _ = Page.objects.get_or_create(
        slug=fields.pop("slug", slugify(title)), defaults={"title": title, "body": body, **fields}
    )
    return page
