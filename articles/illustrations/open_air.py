"""Open spaces: a park with trees and a pond, and a street market under striped awnings."""

from .canvas import mix, shade
from .people import bust, figure
from .streets import house, tree


def park(canvas):
    """Rolling grass, a winding path with people walking, trees, a pond and a bench."""
    canvas.sky(horizon=60, clouds=4)
    canvas.skyline(50, canvas.far(canvas["far"], 0.3), low=4, high=14)
    light, dark = canvas["green"]
    x = canvas.rng.uniform(-5, 5)
    while x < canvas.right + 5:
        tree(canvas, x, 54, canvas.rng.uniform(16, 22), haze=0.45)
        x += canvas.rng.uniform(5, 9)
    canvas.hills(58, 6, canvas.far(dark, 0.2), bumps=3)
    canvas.hills(66, 8, light, bumps=2)
    pond = canvas.rng.uniform(0.55, 0.8) * canvas.right
    canvas.oval(pond, 72, 22, 4.5, shade(canvas["water"][0], -0.05))
    canvas.oval(pond - 4, 71.2, 9, 1.4, mix(canvas["water"][0], (255, 255, 255), 0.3))
    path = mix(canvas["ground"], (240, 230, 210), 0.3)
    canvas.poly(
        [
            (canvas.right * 0.3, 66),
            (canvas.right * 0.36, 66),
            (canvas.right * 0.3, 80),
            (canvas.right * 0.16, 100),
            (canvas.right * 0.02, 100),
            (canvas.right * 0.22, 80),
        ],
        path,
    )
    bench_x = canvas.right * 0.45
    wood = (150, 104, 70)
    canvas.rect(bench_x, 76, bench_x + 12, 77.2, wood)
    canvas.rect(bench_x, 79, bench_x + 12, 80.2, wood)
    canvas.rect(bench_x + 1, 80, bench_x + 1.8, 84, canvas["ink"])
    canvas.rect(bench_x + 10.2, 80, bench_x + 11, 84, canvas["ink"])
    for _ in range(2):
        tree(
            canvas,
            canvas.rng.uniform(0.5, 1) * canvas.right,
            canvas.rng.uniform(88, 96),
            canvas.rng.uniform(40, 50),
        )
    for _ in range(max(3, round(canvas.right / 35))):
        y = canvas.rng.uniform(70, 98)
        figure(canvas, canvas.rng.uniform(0.05, 0.5) * canvas.right, y, 6 + (y - 60) * 0.45)


def stall(canvas, left, width, counter, colours):
    """A market stall: a striped awning with a scalloped edge, a stallholder, produce in crates."""
    stripe, plain = colours
    top = counter - 26
    canvas.rect(left + 0.5, top, left + 1.3, counter + 12, canvas["ink"])
    canvas.rect(left + width - 1.3, top, left + width - 0.5, counter + 12, canvas["ink"])
    bust(canvas, left + width / 2, counter - 2, 5.5)
    stripes = 6
    for n in range(stripes):
        x0, x1 = left - 2 + n * (width + 4) / stripes, left - 2 + (n + 1) * (width + 4) / stripes
        canvas.poly(
            [(x0 + 1.5 - n * 0.3, top - 6), (x1 + 1.5 - (n + 1) * 0.3, top - 6), (x1, top), (x0, top)],
            stripe if n % 2 == 0 else plain,
        )
        canvas.draw.chord(
            canvas.box(x0, top - 1.6, x1, top + 1.6), 0, 180, fill=stripe if n % 2 == 0 else plain
        )
    canvas.rect(left - 1, counter, left + width + 1, counter + 12, shade((170, 124, 84), -0.1))
    canvas.rect(left - 1, counter, left + width + 1, counter + 1.2, (170, 124, 84))
    produce = [(214, 64, 48), (236, 150, 40), (120, 168, 60), (240, 206, 70), (150, 60, 110)]
    crate = 0
    x = left + 1
    while x < left + width - 6:
        colour = produce[(crate + int(left)) % len(produce)]
        for row in range(2):
            for n in range(4):
                canvas.oval(
                    x + 1 + n * 1.5 + row * 0.7,
                    counter - 0.8 - row * 1.1,
                    0.8,
                    0.8,
                    shade(colour, -0.05 * row),
                )
        x += 7
        crate += 1


def market(canvas):
    """A high-street market: shopfronts behind, a row of stalls, bunting, shoppers in front."""
    canvas.sky(horizon=45, sun=False, clouds=2)
    x = -canvas.rng.uniform(0, 10)
    while x < canvas.right:
        width = canvas.rng.uniform(22, 27)
        house(
            canvas,
            x,
            width,
            60,
            50,
            canvas.far(canvas.pick("walls"), 0.2),
            canvas.far(canvas.pick("roofs"), 0.2),
        )
        x += width
    canvas.rect(0, 60, canvas.right, 100, canvas["ground"])
    canvas.rect(0, 60, canvas.right, 61, shade(canvas["ground"], -0.15))
    rope = [(x, 20 + 5 * ((x % 40) / 40 - 0.5) ** 2 * 4) for x in range(0, int(canvas.right) + 2, 2)]
    canvas.line(rope, canvas["ink"], 0.25)
    for n, (x, y) in enumerate(rope[::2]):
        canvas.poly([(x - 1.4, y), (x + 1.4, y), (x, y + 3.2)], canvas["clothes"][n % len(canvas["clothes"])])
    x = canvas.rng.uniform(-6, 2)
    clothes = canvas["clothes"]
    number = canvas.rng.randrange(len(clothes))
    while x < canvas.right:
        width = canvas.rng.uniform(26, 32)
        stall(canvas, x, width, 72, (clothes[number % len(clothes)], canvas["trim"]))
        x += width + 5
        number += 1
    for _ in range(max(3, round(canvas.right / 25))):
        figure(
            canvas,
            canvas.rng.uniform(2, canvas.right - 2),
            canvas.rng.uniform(93, 101),
            canvas.rng.uniform(22, 28),
        )
