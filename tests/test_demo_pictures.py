"""The demo pictures are generated, so their alt texts must say what was really drawn.

A screen-reader user hears the alt text instead of seeing the picture: it must name the
colours the picture is actually drawn in, and a house ad's alt text must say the words the
ad actually shows.
"""

import io
import re
from statistics import median

import pytest
from django.core.management import call_command
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat

from articles import demo_content
from articles.factories import PALETTE_COLOURS, PALETTES, picture_bytes
from articles.models import Article
from supporters.management.commands.seed_appeals import BOOK_CLUB_ALT, BOOK_CLUB_WORDS
from supporters.models import AdSlot

# Whether an RGB colour fits a word a reader would use for it.
FITS = {
    "black": lambda r, g, b: max(r, g, b) < 60,
    "yellow": lambda r, g, b: r > 200 and g > 170 and b < 100,
    "blue": lambda r, g, b: b > r + 60 and b > g + 40,
    "red": lambda r, g, b: r > g + 80 and r > b + 80,
    "green": lambda r, g, b: g > r + 20 and g >= b,
    "purple": lambda r, g, b: b > g + 40 and r > g,
    "lilac": lambda r, g, b: b > g and r > g,
    "grey": lambda r, g, b: max(r, g, b) - min(r, g, b) < 20,
    "cream": lambda r, g, b: r > 240 and g > 215 and 150 < b < g,
    "dark": lambda r, g, b: max(r, g, b) < 180,
    "deep": lambda r, g, b: max(r, g, b) < 180,
    "pale": lambda r, g, b: min(r, g, b) > 200,
}


def fits(colour, name):
    return all(FITS[word](*colour) for word in name.split())


def stored_picture(image):
    with image.file.open("rb") as handle:
        picture = PILImage.open(handle)
        picture.load()
    return picture.convert("RGB")


def row_colour(picture, y):
    """The median colour along one row: the odd circle outline crossing it does not count."""
    pixels = [picture.getpixel((x, y)) for x in range(0, picture.width, 4)]
    return tuple(int(median(channel)) for channel in zip(*pixels, strict=True))


def palette_drawn_in(image):
    """Which palette a stored picture was drawn in, read from its pixels.

    The first band (the top twelfth) is the dark colour; the gap under it is the light one.
    """
    picture = stored_picture(image)
    dark = row_colour(picture, picture.height // 24)
    light = row_colour(picture, picture.height // 8)

    def distance(palette):
        drawn = (*palette[0], *palette[1])
        return sum((a - b) ** 2 for a, b in zip(drawn, (*dark, *light), strict=True))

    return min(range(len(PALETTES)), key=lambda number: distance(PALETTES[number]))


def test_every_palette_has_names_that_fit_its_colours():
    assert len(PALETTE_COLOURS) == len(PALETTES)
    for (dark, light), (dark_name, light_name) in zip(PALETTES, PALETTE_COLOURS, strict=True):
        assert fits(dark, dark_name), (dark, dark_name)
        assert fits(light, light_name), (light, light_name)


@pytest.mark.django_db
def test_each_demo_picture_is_described_in_the_colours_it_is_drawn_in():
    call_command("seed_demo", verbosity=0)
    subjects = {data["slug"]: data["image"]["subject"] for data in demo_content.ARTICLES if data["image"]}
    articles = Article.objects.filter(featured_image__isnull=False).select_related("featured_image")
    assert {article.slug for article in articles} == set(subjects)
    palettes_seen = set()
    for article in articles:
        image = article.featured_image
        palette = palette_drawn_in(image)
        palettes_seen.add(palette)
        dark, light = PALETTE_COLOURS[palette]
        alt = image.alt_text
        assert alt.startswith(f"Abstract pattern in {dark} on {light}: fading stripes and rings"), alt
        assert alt.endswith(f", illustrating {subjects[article.slug]}"), alt
        assert len(alt) <= 150, alt
        # No other palette's colours, and none of the shapes the old texts invented.
        others = {name for number, names in enumerate(PALETTE_COLOURS) if number != palette for name in names}
        assert not any(re.search(rf"\b{name}\b", alt) for name in others - {dark, light}), alt
        assert not re.search(r"diagonal|wavy|square|grid|concentric|bars|orange|gold|teal|navy", alt), alt
    assert len(palettes_seen) > 1  # the check tells palettes apart, it is not one palette every time


@pytest.mark.django_db
def test_a_reader_of_an_article_page_hears_the_true_description(client):
    call_command("seed_demo", verbosity=0)
    article = Article.objects.published().filter(featured_image__isnull=False).first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert f'alt="{escape(article.featured_image.alt_text)}"' in response.content.decode()


def difference(one, other):
    """Mean absolute difference per channel, 0 to 255, between two pictures of the same size."""
    assert one.size == other.size
    return sum(ImageStat.Stat(ImageChops.difference(one, other)).mean) / 3


@pytest.mark.django_db
def test_the_house_ad_shows_the_words_its_alt_text_says():
    call_command("seed_appeals", verbosity=0)
    ad = AdSlot.objects.get(placement=AdSlot.Placement.MID_ARTICLE).ads.get()
    assert ad.image.alt_text == BOOK_CLUB_ALT
    # The alt text is those words, nothing added, nothing missed.
    words = " ".join(BOOK_CLUB_WORDS)
    assert re.findall(r"\w+", BOOK_CLUB_ALT.lower()) == re.findall(r"\w+", words.lower())

    shown = stored_picture(ad.image)
    size = {"width": shown.width, "height": shown.height, "seed": 77}
    with_words = PILImage.open(io.BytesIO(picture_bytes(words=BOOK_CLUB_WORDS, **size))).convert("RGB")
    without = PILImage.open(io.BytesIO(picture_bytes(**size))).convert("RGB")
    # The stored ad is the picture with those words on it (give or take JPEG), not a bare pattern.
    assert difference(shown, with_words) < 2
    assert difference(shown, without) > 10
