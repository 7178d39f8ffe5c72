"""The demo pictures are generated illustrations, so their alt texts must say what was really drawn.

A screen-reader user hears the alt text instead of seeing the picture: it must name the
scene the illustration actually shows, and a house ad's alt text must say the words the ad
actually shows.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat

from articles import demo_content
from articles.factories import picture_bytes, picture_description
from articles.illustrations import SCENES
from articles.models import Article, Author, Image
from supporters.management.commands.seed_appeals import BOOK_CLUB_ALT, BOOK_CLUB_WORDS
from supporters.models import AdSlot


def stored_picture(image):
    with image.file.open("rb") as handle:
        picture = PILImage.open(handle)
        picture.load()
    return picture.convert("RGB")


def drawn(size, **kwargs):
    return PILImage.open(io.BytesIO(picture_bytes(*size, **kwargs))).convert("RGB")


@pytest.mark.django_db
def test_each_demo_picture_is_the_scene_its_alt_text_describes():
    call_command("seed_demo", verbosity=0)
    numbered = {data["slug"]: (number, data["image"]) for number, data in enumerate(demo_content.ARTICLES)}
    articles = Article.objects.filter(featured_image__isnull=False).select_related("featured_image")
    assert {article.slug for article in articles} == {slug for slug, (_, image) in numbered.items() if image}
    scenes_seen = set()
    for article in articles:
        seed, meant = numbered[article.slug]
        assert meant["scene"] in SCENES, article.slug
        scenes_seen.add(meant["scene"])
        alt = article.featured_image.alt_text
        assert alt == f"{picture_description(seed, meant['scene'])}, illustrating {meant['subject']}"
        assert alt.startswith("Illustration of ") and len(alt) <= 150, alt
        # The stored picture is that scene drawn from that seed (give or take JPEG), not another one.
        shown = stored_picture(article.featured_image)
        assert difference(shown, drawn(shown.size, seed=seed, scene=meant["scene"])) < 2
        other = next(name for name in SCENES if name != meant["scene"])
        assert difference(shown, drawn(shown.size, seed=seed, scene=other)) > 10
    assert len(scenes_seen) >= 5  # the front page shows places and people, not one scene again and again


@pytest.mark.django_db
def test_a_reader_of_an_article_page_hears_the_true_description(client):
    call_command("seed_demo", verbosity=0)
    article = Article.objects.published().filter(featured_image__isnull=False).first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert f'alt="{escape(article.featured_image.alt_text)}"' in response.content.decode()


@pytest.mark.django_db
def test_every_demo_writer_has_their_own_illustrated_portrait(client):
    call_command("seed_demo", verbosity=0)
    pictures = Image.objects.count()
    authors = list(Author.objects.filter(slug__in=[row["slug"] for row in demo_content.AUTHORS]))
    assert len(authors) == len(demo_content.AUTHORS)
    portraits = [stored_picture(author.photo) for author in authors]
    for author, portrait in zip(authors, portraits, strict=True):
        assert author.photo.alt_text == f"Illustrated portrait of {author.name}"
        assert portrait.size == (600, 600)
        page = client.get(author.get_absolute_url()).content.decode()
        assert f'alt="{escape(author.photo.alt_text)}"' in page
    # Five different people, not one portrait five times.
    for number, one in enumerate(portraits):
        for other in portraits[number + 1 :]:
            assert difference(one, other) > 8
    call_command("seed_demo", verbosity=0)
    assert Image.objects.count() == pictures  # seeding again makes no second set of portraits


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
