"""People: standing figures for streets and parks, heads and shoulders for crowds, rooms and portraits.

Flat silhouettes with no faces drawn, as editorial illustrations do, in every skin tone and
with varied hair and clothes, so a crowd looks like a city's people and not one person copied.
"""

from .canvas import HAIR, SKIN, mix, shade

HAIRSTYLES = ("short", "long", "bun", "curly", "bald", "scarf", "short", "long")


def someone(canvas):
    """A person's looks: skin, hair colour and style, and their top's colour."""
    rng = canvas.rng
    return {
        "skin": rng.choice(SKIN),
        "hair": rng.choice(HAIR),
        "style": rng.choice(HAIRSTYLES),
        "top": canvas.pick("clothes"),
        "scarf": rng.choice(canvas["clothes"][:5]),  # a coloured scarf: the last colour is near white
        "glasses": rng.random() < 0.2,
    }


def bust(canvas, x, base, size, looks=None, haze=0.0):
    """Head and shoulders of one person, their shoulders' line at `base`; returns their looks.

    `size` is the head's height in `u`; the body reaches below `base` (something in front
    hides it, or the picture's bottom edge). `haze` pales a person further back.
    """
    looks = looks or someone(canvas)

    def tone(colour):
        return canvas.far(colour, haze) if haze else colour

    s = size
    skin, hair, top = tone(looks["skin"]), tone(looks["hair"]), tone(looks["top"])
    head_top, head_bottom = base - 1.62 * s, base - 0.55 * s
    style = looks["style"]
    if style == "long":
        canvas.rect(x - 0.5 * s, head_top - 0.05 * s, x + 0.5 * s, base - 0.1 * s, hair, radius=0.45 * s)
    elif style == "curly":
        canvas.oval(x, head_top + 0.42 * s, 0.62 * s, 0.55 * s, hair)
    elif style == "bun":
        canvas.oval(x, head_top - 0.12 * s, 0.22 * s, 0.2 * s, hair)
    canvas.rect(x - 1.15 * s, base - 0.25 * s, x + 1.15 * s, base + 2.5 * s, top, radius=0.55 * s)
    if style == "scarf":
        scarf = tone(looks["scarf"])
        canvas.oval(x, head_top + 0.62 * s, 0.56 * s, 0.72 * s, scarf)
        canvas.poly(
            [
                (x - 0.56 * s, head_top + 0.7 * s),
                (x + 0.56 * s, head_top + 0.7 * s),
                (x + 0.8 * s, base + 0.2 * s),
                (x - 0.8 * s, base + 0.2 * s),
            ],
            scarf,
        )
        canvas.oval(x, head_top + 0.62 * s, 0.36 * s, 0.46 * s, skin)
        return looks
    canvas.rect(x - 0.2 * s, head_bottom - 0.3 * s, x + 0.2 * s, base + 0.1 * s, shade(skin, -0.12))
    canvas.poly(
        [(x - 0.32 * s, base - 0.25 * s), (x + 0.32 * s, base - 0.25 * s), (x, base + 0.35 * s)],
        shade(skin, -0.12),
    )
    canvas.oval(x - 0.4 * s, head_top + 0.58 * s, 0.1 * s, 0.14 * s, shade(skin, -0.05))
    canvas.oval(x + 0.4 * s, head_top + 0.58 * s, 0.1 * s, 0.14 * s, shade(skin, -0.05))
    canvas.oval(x, (head_top + head_bottom) / 2, 0.4 * s, 0.53 * s, skin)
    if style in ("short", "long", "bun"):
        canvas.draw.chord(
            canvas.box(x - 0.43 * s, head_top - 0.06 * s, x + 0.43 * s, head_top + 0.75 * s),
            180,
            360,
            fill=hair,
        )
    elif style == "curly":
        canvas.draw.chord(
            canvas.box(x - 0.5 * s, head_top - 0.12 * s, x + 0.5 * s, head_top + 0.7 * s), 180, 360, fill=hair
        )
    elif style == "bald":
        canvas.rect(x - 0.42 * s, head_top + 0.4 * s, x - 0.34 * s, head_top + 0.62 * s, hair)
        canvas.rect(x + 0.34 * s, head_top + 0.4 * s, x + 0.42 * s, head_top + 0.62 * s, hair)
    if looks["glasses"]:
        frame = tone((40, 40, 48))
        eye_y = head_top + 0.55 * s
        for dx in (-0.17, 0.17):
            canvas.draw.ellipse(
                canvas.box(x + (dx - 0.12) * s, eye_y - 0.09 * s, x + (dx + 0.12) * s, eye_y + 0.09 * s),
                outline=frame,
                width=max(1, round(0.04 * s * canvas.u)),
            )
    return looks


def figure(canvas, x, feet, height, looks=None, haze=0.0):
    """A standing person seen from afar, `height` tall in `u`, feet on `feet`."""
    looks = looks or someone(canvas)
    h = height

    def tone(colour):
        return canvas.far(colour, haze) if haze else colour

    legs = tone(mix(canvas["ink"], canvas.pick("clothes"), 0.25))
    canvas.rect(x - 0.13 * h, feet - 0.48 * h, x - 0.02 * h, feet, legs)
    canvas.rect(x + 0.02 * h, feet - 0.48 * h, x + 0.13 * h, feet, legs)
    canvas.rect(
        x - 0.17 * h, feet - 0.8 * h, x + 0.17 * h, feet - 0.42 * h, tone(looks["top"]), radius=0.08 * h
    )
    canvas.rect(
        x - 0.03 * h, feet - 0.86 * h, x + 0.03 * h, feet - 0.78 * h, tone(shade(looks["skin"], -0.1))
    )
    canvas.oval(x, feet - 0.91 * h, 0.09 * h, 0.1 * h, tone(looks["skin"]))
    if looks["style"] == "scarf":
        canvas.draw.chord(
            canvas.box(x - 0.11 * h, feet - 1.02 * h, x + 0.11 * h, feet - 0.8 * h),
            150,
            390,
            fill=tone(looks["scarf"]),
        )
    elif looks["style"] != "bald":
        canvas.draw.chord(
            canvas.box(x - 0.1 * h, feet - 1.02 * h, x + 0.1 * h, feet - 0.88 * h),
            180,
            360,
            fill=tone(looks["hair"]),
        )
    return looks


def crowd_row(canvas, base, size, spacing, haze=0.0, placards=0.0):
    """A row of heads and shoulders across the picture, some holding up a placard."""
    x = canvas.rng.uniform(-spacing / 2, spacing / 2)
    while x < canvas.right + spacing:
        if canvas.rng.random() < placards:
            placard(canvas, x + canvas.rng.uniform(-0.5, 0.5) * size, base - 2.2 * size, size, haze)
        bust(
            canvas,
            x + canvas.rng.uniform(-0.15, 0.15) * spacing,
            base + canvas.rng.uniform(-0.2, 0.2) * size,
            size * canvas.rng.uniform(0.92, 1.08),
            haze=haze,
        )
        x += spacing * canvas.rng.uniform(0.85, 1.15)


def placard(canvas, x, top, size, haze):
    """A home-made placard on a stick: a board with lines of (unreadable) lettering."""
    board = canvas.far(canvas.rng.choice([(250, 246, 236), (250, 214, 90), (236, 90, 70)]), haze)
    ink = canvas.far(canvas["ink"], haze)
    canvas.rect(x - 0.06 * size, top, x + 0.06 * size, top + 2.5 * size, canvas.far((150, 112, 76), haze))
    w, h = 1.1 * size, 0.75 * size
    canvas.rect(x - w, top - h, x + w, top + h * 0.6, board)
    for row in range(2):
        y = top - h * 0.55 + row * h * 0.55
        canvas.rect(x - w * 0.75, y, x - w * 0.75 + w * canvas.rng.uniform(1.0, 1.5), y + h * 0.22, ink)
