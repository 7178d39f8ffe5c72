"""Water: a harbour with boats and a quay, and a river under an arched bridge."""

from .canvas import mix, shade
from .people import figure
from .streets import tree


def water(canvas, top, bottom):
    """Water from `top` down, darker near the viewer, with short glints of light."""
    light, dark = canvas["water"]
    canvas.gradient(top, bottom, (mix(light, canvas["sky"][1], 0.35), dark))
    glint = mix(light, (255, 255, 255), 0.35)
    for _ in range(int(canvas.right / 4)):
        y = canvas.rng.uniform(top + 2, bottom)
        length = 1.5 + (y - top) * 0.12
        x = canvas.rng.uniform(0, canvas.right)
        canvas.rect(x, y, x + length, y + 0.35 + (y - top) * 0.01, glint)


def boat(canvas, x, waterline, length):
    """A small boat: hull, cabin, mast and sail, and its reflection."""
    hull = canvas.pick("clothes")
    h = length * 0.22
    canvas.poly(
        [
            (x, waterline + h * 0.15),
            (x + length, waterline + h * 0.15),
            (x + length * 0.85, waterline + h * 0.8),
            (x + length * 0.12, waterline + h * 0.8),
        ],
        mix(shade(hull, -0.2), canvas["water"][1], 0.5),
    )
    canvas.poly(
        [
            (x - length * 0.05, waterline - h),
            (x + length * 1.05, waterline - h),
            (x + length * 0.88, waterline),
            (x + length * 0.1, waterline),
        ],
        hull,
    )
    canvas.rect(x - length * 0.05, waterline - h, x + length * 1.05, waterline - h * 0.82, canvas["trim"])
    if canvas.rng.random() < 0.5:
        canvas.rect(x + length * 0.5, waterline - h * 2.1, x + length * 0.85, waterline - h, canvas["trim"])
        canvas.rect(
            x + length * 0.56, waterline - h * 1.85, x + length * 0.78, waterline - h * 1.45, canvas["window"]
        )
    else:
        mast = x + length * 0.45
        canvas.line([(mast, waterline - h), (mast, waterline - length * 1.1)], canvas["ink"], 0.4)
        canvas.poly(
            [
                (mast + 0.5, waterline - length * 1.05),
                (mast + 0.5, waterline - h * 1.3),
                (mast + length * 0.5, waterline - h * 1.3),
            ],
            canvas["trim"],
        )
        canvas.poly(
            [
                (mast - 0.5, waterline - length * 0.85),
                (mast - 0.5, waterline - h * 1.3),
                (mast - length * 0.35, waterline - h * 1.3),
            ],
            shade(canvas["trim"], -0.08),
        )


def warehouse(canvas, left, width, ground, height):
    wall = canvas.pick("walls")
    canvas.poly(
        [
            (left, ground - height),
            (left + width / 2, ground - height - width * 0.35),
            (left + width, ground - height),
        ],
        canvas.pick("roofs"),
    )
    canvas.rect(left, ground - height, left + width, ground, wall)
    canvas.rect(left + width * 0.3, ground - height * 0.55, left + width * 0.7, ground, shade(wall, -0.3))
    canvas.oval(left + width / 2, ground - height * 0.8, width * 0.08, width * 0.08, canvas["trim"])


def harbour(canvas):
    """A harbour: hills and a lighthouse far off, warehouses on the quay, boats, gulls."""
    horizon = 56
    canvas.sky(horizon=horizon, clouds=3)
    canvas.hills(horizon, 10, canvas.far(canvas["far"], 0.1), bumps=3)
    head = canvas.rng.uniform(0.55, 0.85) * canvas.right
    canvas.rect(head - 1.4, horizon - 14, head + 1.4, horizon - 2, canvas["trim"])
    canvas.rect(head - 1.4, horizon - 10, head + 1.4, horizon - 8, canvas.far(canvas["clothes"][0], 0.2))
    canvas.rect(head - 1.8, horizon - 16, head + 1.8, horizon - 14, canvas["lit"])
    canvas.poly(
        [(head - 2.2, horizon - 16), (head + 2.2, horizon - 16), (head, horizon - 19)],
        canvas.far(canvas["ink"], 0.3),
    )
    water(canvas, horizon, 100)
    quay = min(canvas.right * 0.45, 70)
    canvas.rect(0, 66, quay, 100, shade(canvas["ground"], -0.1))
    canvas.rect(0, 64, quay + 1, 67, canvas["ground"])
    x = -canvas.rng.uniform(0, 4)
    while x < quay - 12:
        width = canvas.rng.uniform(13, 17)
        warehouse(canvas, x, width, 64, canvas.rng.uniform(14, 20))
        x += width + 0.8
    for n in range(3):
        bx = quay * (0.2 + n * 0.3)
        canvas.rect(bx - 0.8, 62, bx + 0.8, 64, canvas["ink"])
    for _ in range(max(2, round(canvas.right / 45))):
        figure(
            canvas,
            canvas.rng.uniform(3, quay - 3),
            72 + canvas.rng.uniform(0, 10),
            canvas.rng.uniform(11, 14),
        )
    x = quay + canvas.rng.uniform(2, 8)
    while x < canvas.right - 6:
        waterline = canvas.rng.uniform(64, 88)
        length = 8 + (waterline - 56) * 0.5
        boat(canvas, x, waterline, length)
        x += length + canvas.rng.uniform(3, 12)
    for _ in range(3):
        gx, gy = canvas.rng.uniform(0, canvas.right), canvas.rng.uniform(10, 35)
        canvas.line([(gx - 2, gy - 1), (gx, gy), (gx + 2, gy - 1)], canvas["ink"], 0.35)


def bridge(canvas, deck, waterline, arches):
    """An arched stone bridge right across the picture."""
    stone = mix(canvas["walls"][1], (200, 190, 176), 0.5)
    canvas.rect(0, deck - 4, canvas.right, waterline, stone)
    canvas.rect(0, deck - 5, canvas.right, deck - 3.5, shade(stone, -0.2))
    span = canvas.right / arches
    for n in range(arches):
        centre = span * (n + 0.5)
        box = canvas.box(
            centre - span * 0.38, deck + 3, centre + span * 0.38, waterline + (waterline - deck - 3)
        )
        canvas.draw.chord(box, 180, 360, fill=shade(canvas["water"][1], -0.25))
        canvas.draw.chord(
            canvas.box(
                centre - span * 0.38, deck + 3, centre + span * 0.38, waterline + (waterline - deck - 3)
            ),
            180,
            360,
            outline=shade(stone, -0.15),
            width=max(1, round(canvas.u)),
        )
    for n in range(arches + 1):
        x = span * n
        canvas.rect(x - 0.5, deck - 10, x + 0.5, deck - 5, canvas["ink"])
        canvas.oval(x, deck - 10.5, 1.1, 1.1, canvas["lit"])


def river(canvas):
    """A river under an arched bridge, houses and trees on the far bank, a walker on the near one."""
    canvas.sky(horizon=52, clouds=3)
    canvas.skyline(52, canvas.far(canvas["far"], 0.15), low=6, high=18)
    x = -canvas.rng.uniform(0, 6)
    while x < canvas.right:
        width = canvas.rng.uniform(9, 13)
        height = canvas.rng.uniform(10, 15)
        wall = canvas.far(canvas.pick("walls"), 0.15)
        canvas.poly(
            [(x, 58 - height), (x + width / 2, 58 - height - 5), (x + width, 58 - height)],
            canvas.far(canvas.pick("roofs"), 0.15),
        )
        canvas.rect(x, 58 - height, x + width, 58, wall)
        for row in range(2):
            canvas.rect(
                x + width * 0.25,
                58 - height + 3 + row * 5,
                x + width * 0.45,
                58 - height + 5.5 + row * 5,
                canvas["window"],
            )
        x += width + canvas.rng.uniform(0, 1.5)
    canvas.rect(0, 58, canvas.right, 61, canvas["green"][1])
    water(canvas, 61, 100)
    bridge(canvas, 54, 73, max(3, round(canvas.right / 45)))
    bank = [
        (0, 86),
        (canvas.right * 0.3, 90),
        (canvas.right * 0.7, 93),
        (canvas.right, 89),
        (canvas.right, 100),
        (0, 100),
    ]
    canvas.poly(bank, canvas["green"][0])
    tree(canvas, canvas.right * 0.08, 92, 30)
    figure(canvas, canvas.right * 0.75, 94, 16)
