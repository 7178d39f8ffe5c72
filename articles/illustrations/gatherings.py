"""People together: a crowd with placards, a meeting round a table, and a head-and-shoulders portrait."""

from .canvas import SKIN, mix, shade
from .people import bust, crowd_row, someone

PORTRAIT_STYLES = ("bun", "scarf", "curly", "short", "long", "bald")


def crowd(canvas):
    """A crowd gathered in a street, rows of people nearer and larger, a few placards held up."""
    canvas.sky(horizon=60, sun=canvas.rng.random() < 0.5, clouds=2)
    canvas.skyline(58, canvas.far(canvas["far"], 0.1), low=14, high=34)
    wall = canvas.far(canvas.pick("walls"), 0.3)
    canvas.rect(0, 50, canvas.right, 100, wall)
    for x in range(2, int(canvas.right), 12):
        canvas.rect(x, 30 + (x * 7) % 9, x + 5, 50, canvas.far(canvas["window"], 0.45))
    canvas.rect(0, 48, canvas.right, 50, shade(wall, -0.15))
    crowd_row(canvas, 64, 7, 12, haze=0.35, placards=0.3)
    crowd_row(canvas, 78, 10, 17, haze=0.15, placards=0.2)
    crowd_row(canvas, 98, 14, 25)


def meeting(canvas):
    """A meeting room: a window on the city, people round a table with papers and mugs, lamps above."""
    wall = mix(canvas["walls"][5], canvas["trim"], 0.4)
    canvas.rect(0, 0, canvas.right, 100, wall)
    margin = canvas.right * 0.12
    canvas.gradient(8, 58, canvas["sky"], left=margin, right=canvas.right - margin)
    canvas.skyline(58, canvas.far(canvas["far"], 0.1), low=8, high=26)
    canvas.rect(0, 0, margin, 100, wall)
    canvas.rect(canvas.right - margin, 0, canvas.right, 100, wall)
    canvas.rect(0, 0, canvas.right, 8, wall)
    frame = shade(wall, -0.25)
    for x in range(int(margin), int(canvas.right - margin) + 1, max(1, int((canvas.right - 2 * margin) / 4))):
        canvas.rect(x - 0.6, 8, x + 0.6, 58, frame)
    canvas.rect(margin, 7, canvas.right - margin, 8.5, frame)
    canvas.rect(margin - 1, 57.5, canvas.right - margin + 1, 60, shade(wall, -0.1))
    canvas.rect(0, 60, canvas.right, 100, shade(wall, -0.12))
    for x in (canvas.right * 0.3, canvas.right * 0.7):
        canvas.line([(x, 0), (x, 12)], canvas["ink"], 0.3)
        canvas.draw.chord(canvas.box(x - 5, 10, x + 5, 18), 180, 360, fill=canvas["ink"])
        canvas.oval(x, 14.6, 2.2, 0.9, canvas["lit"])
    seats = max(3, round(canvas.right / 32))
    spacing = canvas.right / seats
    for n in range(seats):
        bust(
            canvas,
            spacing * (n + 0.5) + canvas.rng.uniform(-3, 3),
            69 + canvas.rng.uniform(-1, 1),
            canvas.rng.uniform(10, 11.5),
        )
    wood = (160, 116, 80)
    canvas.rect(-2, 74, canvas.right + 2, 80, wood)
    canvas.rect(-2, 80, canvas.right + 2, 100, shade(wood, -0.3))
    canvas.rect(-2, 73, canvas.right + 2, 74.2, shade(wood, 0.15))
    for n in range(seats):
        x = spacing * (n + 0.5) + canvas.rng.uniform(-8, 8)
        canvas.poly([(x - 6, 79), (x + 3, 79), (x + 4.5, 75), (x - 4.5, 75)], canvas["trim"])
        if canvas.rng.random() < 0.6:
            cup = x + canvas.rng.choice((-11, 9))
            canvas.rect(cup, 72, cup + 2.4, 76.5, canvas.pick("clothes"), radius=0.4)


def portrait(canvas):
    """One person, head and shoulders, against a plain backdrop with a soft light behind them."""
    backdrop = mix(canvas.pick("walls"), canvas["trim"], 0.35)
    canvas.gradient(0, 100, (shade(backdrop, 0.15), shade(backdrop, -0.1)))
    canvas.oval(canvas.right / 2, 40, 36, 36, shade(backdrop, 0.25))
    # Portraits come one a seed, so neighbouring seeds (a staff list) get different hair and skin.
    looks = someone(canvas)
    looks["style"] = PORTRAIT_STYLES[canvas.seed % len(PORTRAIT_STYLES)]
    looks["skin"] = SKIN[canvas.seed * 5 % len(SKIN)]
    bust(canvas, canvas.right / 2, 86, 40, looks)
    canvas.rect(0, 100, canvas.right, 101, shade(looks["top"], -0.2))
