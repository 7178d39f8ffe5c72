"""The drawing surface every illustration shares: its palette, sky, light and distance.

Everything is drawn in flat colour with Pillow, like a newspaper's illustrated header: no
outline, a soft gradient sky, and far things paler (mixed into the sky's horizon colour).
Sizes are given in `u`, a hundredth of the picture's height, so a scene keeps its proportions
at any size, and a wider picture simply shows more of the street.
"""

import random

from PIL import Image as PILImage
from PIL import ImageDraw

# Skies and the colours that go with them; `when` is how an alt text says it ("at dusk").
PALETTES = [
    {
        "name": "morning",
        "when": "in the morning",
        "sky": ((118, 168, 208), (247, 228, 198)),
        "sun": (255, 241, 196),
        "far": (152, 176, 190),
        "walls": [
            (222, 124, 94),
            (238, 196, 120),
            (142, 172, 158),
            (214, 182, 160),
            (112, 142, 172),
            (236, 224, 204),
        ],
        "roofs": [(72, 74, 92), (124, 74, 62), (92, 96, 108)],
        "green": ((104, 150, 98), (64, 112, 76)),
        "water": ((86, 146, 176), (52, 104, 140)),
        "ground": (196, 184, 166),
        "window": (70, 92, 118),
        "lit": (255, 226, 150),
        "trim": (246, 240, 228),
        "ink": (40, 44, 60),
        "clothes": [
            (214, 86, 66),
            (58, 96, 150),
            (238, 186, 74),
            (70, 120, 98),
            (132, 82, 130),
            (236, 232, 222),
        ],
    },
    {
        "name": "evening",
        "when": "at dusk",
        "sky": ((62, 64, 124), (250, 172, 124)),
        "sun": (255, 214, 156),
        "far": (120, 106, 146),
        "walls": [
            (198, 108, 88),
            (228, 166, 110),
            (118, 128, 152),
            (170, 118, 128),
            (88, 110, 132),
            (220, 200, 180),
        ],
        "roofs": [(52, 48, 72), (96, 58, 64), (70, 70, 96)],
        "green": ((86, 120, 96), (52, 84, 76)),
        "water": ((92, 104, 156), (56, 62, 112)),
        "ground": (168, 146, 150),
        "window": (60, 62, 96),
        "lit": (255, 214, 120),
        "trim": (240, 222, 206),
        "ink": (36, 32, 54),
        "clothes": [
            (226, 98, 76),
            (64, 86, 148),
            (244, 184, 92),
            (66, 112, 104),
            (146, 76, 110),
            (232, 222, 210),
        ],
    },
    {
        "name": "grey",
        "when": "on a grey day",
        "sky": ((164, 180, 192), (226, 230, 226)),
        "sun": (242, 242, 236),
        "far": (170, 182, 186),
        "walls": [
            (176, 96, 82),
            (214, 190, 150),
            (120, 150, 150),
            (190, 176, 168),
            (98, 120, 140),
            (226, 220, 208),
        ],
        "roofs": [(66, 72, 82), (104, 84, 80), (84, 92, 100)],
        "green": ((110, 142, 110), (72, 104, 86)),
        "water": ((112, 146, 160), (74, 106, 124)),
        "ground": (186, 184, 178),
        "window": (72, 84, 98),
        "lit": (250, 224, 164),
        "trim": (238, 236, 230),
        "ink": (44, 50, 60),
        "clothes": [
            (196, 70, 60),
            (48, 84, 130),
            (230, 176, 60),
            (58, 110, 96),
            (110, 70, 120),
            (220, 220, 214),
        ],
    },
    {
        "name": "summer",
        "when": "on a summer day",
        "sky": ((70, 146, 214), (206, 232, 244)),
        "sun": (255, 250, 220),
        "far": (140, 180, 196),
        "walls": [
            (232, 136, 98),
            (246, 210, 128),
            (150, 190, 170),
            (228, 190, 170),
            (124, 160, 196),
            (246, 238, 222),
        ],
        "roofs": [(80, 80, 100), (150, 84, 64), (100, 104, 120)],
        "green": ((120, 170, 96), (70, 130, 80)),
        "water": ((60, 150, 190), (34, 104, 150)),
        "ground": (214, 200, 174),
        "window": (64, 96, 130),
        "lit": (255, 236, 170),
        "trim": (252, 248, 238),
        "ink": (36, 46, 64),
        "clothes": [
            (226, 80, 70),
            (40, 100, 170),
            (250, 196, 60),
            (60, 140, 100),
            (150, 90, 160),
            (250, 246, 236),
        ],
    },
    {
        "name": "winter dawn",
        "when": "at dawn",
        "sky": ((140, 150, 196), (250, 206, 196)),
        "sun": (255, 230, 214),
        "far": (164, 160, 190),
        "walls": [
            (196, 118, 106),
            (226, 192, 150),
            (130, 150, 166),
            (196, 170, 176),
            (104, 118, 150),
            (234, 222, 214),
        ],
        "roofs": [(70, 68, 92), (112, 76, 80), (88, 90, 110)],
        "green": ((108, 136, 120), (70, 100, 94)),
        "water": ((120, 136, 180), (80, 92, 140)),
        "ground": (200, 188, 190),
        "window": (76, 80, 112),
        "lit": (255, 222, 160),
        "trim": (244, 236, 232),
        "ink": (42, 42, 64),
        "clothes": [
            (206, 84, 80),
            (60, 82, 140),
            (236, 180, 84),
            (70, 120, 110),
            (130, 80, 130),
            (236, 230, 226),
        ],
    },
]

# Skin and hair: people of every colouring, as Harbourside's readers are.
SKIN = [(247, 214, 186), (234, 190, 150), (208, 150, 110), (176, 116, 80), (132, 84, 56), (96, 62, 44)]
HAIR = [(34, 28, 26), (72, 48, 36), (120, 82, 50), (176, 130, 80), (200, 196, 190), (146, 62, 40)]


def mix(one, other, share):
    """`one` moved `share` (0 to 1) of the way to `other`."""
    return tuple(round(a + (b - a) * share) for a, b in zip(one, other, strict=True))


def shade(colour, share):
    """A darker (share < 0) or lighter (share > 0) tone of `colour`."""
    return mix(colour, (0, 0, 0) if share < 0 else (255, 255, 255), abs(share))


class Canvas:
    """A picture being drawn: its size, palette, random choices and Pillow's drawing tools."""

    def __init__(self, width, height, seed, palette=None):
        self.width, self.height = width, height
        self.seed = seed
        self.rng = random.Random(seed)
        self.palette = PALETTES[palette if palette is not None else seed % len(PALETTES)]
        self.image = PILImage.new("RGB", (width, height), self.palette["sky"][1])
        self.draw = ImageDraw.Draw(self.image)
        self.u = height / 100

    def __getitem__(self, name):
        return self.palette[name]

    def pick(self, name):
        return self.rng.choice(self.palette[name])

    def far(self, colour, distance):
        """`colour` seen from afar: mixed `distance` (0 to 1) into the horizon's haze."""
        return mix(colour, self.palette["sky"][1], distance)

    def box(self, left, top, right, bottom):
        """Pillow's [x0, y0, x1, y1] in pixels from `u` units, in the right order."""
        u = self.u
        return [
            round(min(left, right) * u),
            round(min(top, bottom) * u),
            round(max(left, right) * u),
            round(max(top, bottom) * u),
        ]

    def rect(self, left, top, right, bottom, fill, radius=0):
        if radius:
            self.draw.rounded_rectangle(
                self.box(left, top, right, bottom), radius=round(radius * self.u), fill=fill
            )
        else:
            self.draw.rectangle(self.box(left, top, right, bottom), fill=fill)

    def oval(self, cx, cy, rx, ry, fill):
        self.draw.ellipse(self.box(cx - rx, cy - ry, cx + rx, cy + ry), fill=fill)

    def poly(self, points, fill):
        self.draw.polygon([(round(x * self.u), round(y * self.u)) for x, y in points], fill=fill)

    def line(self, points, fill, width):
        self.draw.line(
            [(round(x * self.u), round(y * self.u)) for x, y in points],
            fill=fill,
            width=max(1, round(width * self.u)),
        )

    @property
    def right(self):
        """The right edge, in `u`: 100 × the picture's width / height."""
        return self.width / self.u

    def gradient(self, top, bottom, colours, left=0, right=None):
        """A vertical gradient from colours[0] at `top` to colours[1] at `bottom` (in `u`)."""
        y0, y1 = round(top * self.u), round(bottom * self.u)
        x0, x1 = round(left * self.u), round((self.right if right is None else right) * self.u)
        if y1 <= y0 or x1 <= x0:
            return
        # Bands of a pixel or two, drawn as rectangles: much faster than pasting an image.
        rows = y1 - y0
        band = max(1, rows // 160)
        for y in range(y0, y1, band):
            colour = mix(colours[0], colours[1], (y - y0) / max(1, rows - 1))
            self.draw.rectangle([x0, y, x1 - 1, min(y1, y + band) - 1], fill=colour)

    def sky(self, horizon=100, sun=True, clouds=3):
        """The soft gradient sky down to `horizon`, a low sun with its glow and a few clouds."""
        self.gradient(0, horizon, self["sky"])
        if sun:
            x, y = self.rng.uniform(0.15, 0.85) * self.right, horizon * self.rng.uniform(0.3, 0.6)
            for ring, share in ((16, 0.15), (11, 0.3), (8, 0.55)):
                self.oval(x, y, ring, ring, mix(self.sky_at(y), self["sun"], share))
            self.oval(x, y, 5.5, 5.5, self["sun"])
        for _ in range(clouds):
            self.cloud(self.rng.uniform(0, self.right), self.rng.uniform(8, horizon * 0.55))

    def sky_at(self, y):
        return mix(self["sky"][0], self["sky"][1], min(1, max(0, y / 100)))

    def cloud(self, x, y):
        colour = mix(self.sky_at(y), (255, 255, 255), 0.45)
        size = self.rng.uniform(3, 6)
        for dx, dy, r in ((0, 0, 1.0), (1.3, -0.5, 1.25), (2.6, 0.1, 0.95), (3.7, 0.3, 0.7)):
            self.oval(x + dx * size, y + dy * size, r * size, r * size * 0.8, colour)
        self.rect(x - size * 0.6, y, x + 4.2 * size, y + size * 0.8, colour)

    def hills(self, base, height, colour, bumps=4):
        """A line of rolling hills standing on `base`, `height` tall at most."""
        span = self.right / bumps
        x = -self.rng.uniform(0, span)
        while x < self.right + span:
            rx = span * self.rng.uniform(0.7, 1.2)
            ry = height * self.rng.uniform(0.6, 1.0)
            self.oval(x, base, rx, ry, colour)
            x += span * self.rng.uniform(0.6, 1.0)
        self.rect(0, base, self.right, 100, colour)

    def skyline(self, base, colour, low=8, high=26):
        """A far city: blocks, a spire and a chimney or two, in one hazy colour."""
        x = -self.rng.uniform(0, 5)
        while x < self.right:
            width = self.rng.uniform(4, 10)
            top = base - self.rng.uniform(low, high)
            self.rect(x, top, x + width, base, colour)
            if self.rng.random() < 0.15:
                self.poly([(x + width * 0.3, top), (x + width / 2, top - 9), (x + width * 0.7, top)], colour)
            x += width + self.rng.uniform(-1, 2)
