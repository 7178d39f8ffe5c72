"""Procedural illustrations for the demo: scenes of Harbourside's places and people, drawn by our own code.

No photograph, model or download: each picture is drawn with Pillow from a seed, so the same
story always gets the same picture, and `describe` says in words what was drawn, for the alt text.
"""

from .canvas import PALETTES, Canvas
from .gatherings import crowd, meeting, portrait
from .open_air import market, park
from .streets import street, town_hall
from .waterside import harbour, river

# Each scene: how it is drawn, and what it shows, in words for an alt text.
SCENES = {
    "street": (street, "a terraced street with people on the pavement"),
    "town_hall": (town_hall, "a town hall with columns and a clock tower"),
    "harbour": (harbour, "a harbour with boats and a lighthouse"),
    "park": (park, "a park with trees, a pond and people walking"),
    "market": (market, "a market with striped awnings and shoppers"),
    "crowd": (crowd, "a street crowd, some holding placards"),
    "meeting": (meeting, "people round a table in a meeting room"),
    "river": (river, "a river under an arched bridge"),
    "portrait": (portrait, "a head-and-shoulders portrait"),
}

# Scenes that show no sky, so their description says no time of day.
INDOORS = ("meeting", "portrait")

# The scenes a story can get when nothing says which: every one but the portrait.
STORY_SCENES = [name for name in SCENES if name != "portrait"]


def scene_for(seed, scene=None):
    """The scene drawn for `seed` when none is asked for: they take turns."""
    if scene is not None:
        if scene not in SCENES:
            raise ValueError(f"No scene called {scene!r}; the scenes are {', '.join(SCENES)}.")
        return scene
    return STORY_SCENES[seed % len(STORY_SCENES)]


def palette_for(seed):
    """Which sky (PALETTES index) a seed's picture is drawn under: not in step with the scene."""
    return (seed + seed // len(STORY_SCENES)) % len(PALETTES)


def illustration(width, height, seed=0, scene=None):
    """The Pillow image of `scene` (or the seed's own scene), `width` × `height`, same for the same seed."""
    name = scene_for(seed, scene)
    canvas = Canvas(width, height, seed, palette=palette_for(seed))
    SCENES[name][0](canvas)
    return canvas.image


def describe(seed, scene=None):
    """What illustration(seed=seed, scene=scene) shows, in words, for the start of an alt text."""
    name = scene_for(seed, scene)
    when = PALETTES[palette_for(seed)]["when"]
    return f"Illustration of {SCENES[name][1]}" + ("" if name in INDOORS else f", {when}")
