"""Builder functions for content: the demo data command and the tests both use them.

They live in the app, not in tests/, because `make run` installs only what runs.
"""

import io
import itertools
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw

from .models import ActionLink, Article, Author, Image, Page, Section

_counter = itertools.count(1)

PALETTES = [
    ((22, 22, 26), (255, 212, 0)),
    ((11, 79, 168), (240, 240, 245)),
    ((138, 28, 28), (255, 236, 200)),
    ((20, 90, 60), (220, 245, 230)),
    ((60, 40, 110), (235, 225, 255)),
]


def picture_bytes(width=1600, height=1000, seed=0, image_format="JPEG"):
    """A generated picture: bands and circles in one of our palettes, no downloads."""
    rng = random.Random(seed)
    dark, light = PALETTES[seed % len(PALETTES)]
    picture = PILImage.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(picture)
    for band in range(6):
        top = int(height * band / 6)
        shade = tuple(int(lo + (hi - lo) * band / 8) for lo, hi in zip(dark, light, strict=True))
        draw.rectangle([0, top, width, top + height // 12], fill=shade)
    for _ in range(5):
        r = rng.randint(height // 10, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=dark, width=max(4, width // 150))
    out = io.BytesIO()
    picture.save(out, format=image_format)
    return out.getvalue()


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
