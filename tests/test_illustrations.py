"""The demo's pictures are illustrations of places and people drawn by our own code.

What a person looking at the demo would notice: each picture is a real image of the size
asked for; the same story always gets the same picture (the demo is reproducible); two stories
do not get the same picture; and a picture is a scene (many colours and shapes, people of
different colouring), not a flat fill or one pattern recoloured.
"""

import io

import pytest
from PIL import Image as PILImage
from PIL import ImageChops, ImageFilter, ImageStat

from articles.factories import picture_bytes, picture_description
from articles.illustrations import PALETTES, SCENES, STORY_SCENES, describe, palette_for
from articles.illustrations.canvas import SKIN


def opened(data):
    picture = PILImage.open(io.BytesIO(data))
    picture.load()
    return picture


def difference(one, other):
    """Mean absolute difference per channel, 0 to 255, between two pictures of the same size."""
    return sum(ImageStat.Stat(ImageChops.difference(one.convert("RGB"), other.convert("RGB"))).mean) / 3


@pytest.mark.parametrize("scene", list(SCENES))
@pytest.mark.parametrize("size", [(1600, 1000), (728, 180), (600, 600), (120, 80), (40, 40)])
def test_every_scene_is_an_image_of_the_size_asked_for(scene, size):
    picture = opened(picture_bytes(*size, seed=7, scene=scene))
    assert picture.format == "JPEG" and picture.size == size


@pytest.mark.parametrize("image_format", ["PNG", "WEBP", "GIF", "TIFF"])
def test_a_picture_comes_in_the_format_asked_for(image_format):
    assert opened(picture_bytes(200, 120, seed=2, image_format=image_format)).format == image_format


def test_the_same_story_always_gets_the_same_picture():
    for seed in range(len(STORY_SCENES) + 2):
        assert picture_bytes(400, 250, seed=seed) == picture_bytes(400, 250, seed=seed)
        assert picture_description(seed) == picture_description(seed)
    assert picture_bytes(400, 250, seed=3, scene="harbour") == picture_bytes(
        400, 250, seed=3, scene="harbour"
    )


def test_different_stories_get_visibly_different_pictures():
    pictures = [opened(picture_bytes(320, 200, seed=seed)) for seed in range(2 * len(STORY_SCENES))]
    for number, one in enumerate(pictures):
        for other in pictures[number + 1 :]:
            assert difference(one, other) > 8


def test_one_scene_drawn_for_two_stories_is_two_different_pictures():
    for scene in SCENES:
        one, other = (opened(picture_bytes(320, 200, seed=seed, scene=scene)) for seed in (1, 2))
        assert difference(one, other) > 5, scene


@pytest.mark.parametrize("scene", list(SCENES))
def test_a_scene_is_many_shapes_and_colours_not_a_flat_fill(scene):
    picture = opened(picture_bytes(480, 300, seed=4, scene=scene, image_format="PNG")).convert("RGB")
    counts = sorted((count for count, _ in picture.getcolors(maxcolors=480 * 300)), reverse=True)
    pixels = picture.width * picture.height
    # Dozens of colours that each fill a visible patch (0.2% of the picture), none of them most of it.
    assert sum(1 for count in counts if count > pixels * 0.002) >= 15
    assert counts[0] < pixels * 0.5
    # Edges everywhere, not a gradient: the outlines of houses, people, boats and trees.
    edges = picture.convert("L").filter(ImageFilter.FIND_EDGES).point(lambda level: 255 if level > 24 else 0)
    assert 0.02 < ImageStat.Stat(edges).mean[0] / 255 < 0.5


@pytest.mark.parametrize("scene", ["crowd", "meeting", "market"])
def test_a_group_of_people_is_people_of_different_colouring(scene):
    picture = opened(picture_bytes(800, 500, seed=5, scene=scene, image_format="PNG")).convert("RGB")
    present = {colour for _, colour in picture.getcolors(maxcolors=800 * 500)}
    assert len(present & set(SKIN)) >= 3, scene


def test_portraits_are_of_different_people():
    portraits = [opened(picture_bytes(300, 300, seed=500 + n, scene="portrait")) for n in range(5)]
    for number, one in enumerate(portraits):
        for other in portraits[number + 1 :]:
            assert difference(one, other) > 8


def test_the_description_names_the_scene_and_the_time_of_day_drawn():
    for seed in range(2 * len(PALETTES)):
        for scene, (_, shows) in SCENES.items():
            words = describe(seed, scene)
            assert words.startswith(f"Illustration of {shows}")
            if scene not in ("meeting", "portrait"):  # indoors and portraits show no sky
                assert words.endswith(f", {PALETTES[palette_for(seed)]['when']}"), words
    # The sky drawn is the one named: a dusk picture's sky is darker at the top than a morning's.
    dusk, morning = (
        next(seed for seed in range(20) if PALETTES[palette_for(seed)]["when"] == when)
        for when in ("at dusk", "in the morning")
    )
    tops = [
        ImageStat.Stat(
            opened(picture_bytes(300, 200, seed=seed, scene="harbour")).convert("L").crop((0, 0, 300, 8))
        ).mean[0]
        for seed in (dusk, morning)
    ]
    assert tops[0] < tops[1]


def test_an_unknown_scene_is_refused_with_the_names_of_the_scenes():
    with pytest.raises(ValueError, match="harbour"):
        picture_bytes(100, 60, scene="volcano")
