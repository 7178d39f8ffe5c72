"""Buildings: a street of terraced houses, a town hall, and the pieces they are built from."""

from .canvas import mix, shade
from .people import figure


def window(canvas, left, top, width, height, lit=False):
    """A sash window: white frame, glass (lit in some houses), a sill and a glazing bar."""
    trim = canvas["trim"]
    canvas.rect(left - 0.5, top - 0.5, left + width + 0.5, top + height + 0.5, trim)
    glass = canvas["lit"] if lit else canvas["window"]
    canvas.rect(left, top, left + width, top + height, glass)
    canvas.rect(left, top, left + width * 0.45, top + height * 0.45, mix(glass, (255, 255, 255), 0.12))
    canvas.rect(left, top + height / 2 - 0.25, left + width, top + height / 2 + 0.25, trim)
    canvas.rect(left - 1, top + height + 0.3, left + width + 1, top + height + 1.2, shade(trim, -0.1))


def house(canvas, left, width, ground, height, wall, roof):
    """One terraced house, its front door at `ground`, `height` tall from there to the eaves."""
    top = ground - height
    if canvas.rng.random() < 0.6:
        canvas.poly(
            [
                (left - 0.6, top),
                (left + width + 0.6, top),
                (left + width * 0.7, top - width * 0.28),
                (left + width * 0.3, top - width * 0.28),
            ],
            roof,
        )
    else:
        canvas.rect(left - 0.3, top - 2.5, left + width + 0.3, top + 0.5, shade(wall, -0.12))
    stack = left + width * canvas.rng.choice((0.15, 0.75))
    canvas.rect(stack, top - width * 0.42, stack + 3, top - 1, shade(wall, -0.25))
    canvas.rect(stack - 0.4, top - width * 0.44, stack + 3.4, top - width * 0.4, shade(wall, -0.35))
    canvas.rect(left, top, left + width, ground, wall)
    canvas.rect(left + width - 0.6, top, left + width, ground, shade(wall, -0.1))
    door_left = canvas.rng.random() < 0.5
    door_x = left + width * (0.12 if door_left else 0.62)
    door = canvas.pick("clothes")
    canvas.rect(door_x - 0.6, ground - height * 0.44, door_x + width * 0.26 + 0.6, ground, canvas["trim"])
    canvas.rect(door_x, ground - height * 0.4, door_x + width * 0.26, ground, shade(door, -0.1))
    canvas.rect(
        door_x + width * 0.11,
        ground - height * 0.22,
        door_x + width * 0.15,
        ground - height * 0.2,
        (214, 180, 90),
    )
    lit = canvas.rng.random() < 0.4
    win_w, win_h = width * 0.3, height * 0.26
    window(canvas, left + width * (0.58 if door_left else 0.1), ground - height * 0.42, win_w, win_h, lit)
    for column in (0.12, 0.58):
        window(canvas, left + width * column, top + height * 0.14, win_w, win_h, lit and column > 0.5)
    canvas.rect(
        left - 0.3, ground - height * 0.5, left + width + 0.3, ground - height * 0.48, shade(wall, -0.08)
    )


def lamp(canvas, x, ground, height):
    ink = canvas["ink"]
    canvas.rect(x - 0.35, ground - height, x + 0.35, ground, ink)
    canvas.rect(x - 0.35, ground - height, x + 3, ground - height + 0.6, ink)
    canvas.poly(
        [
            (x + 1.6, ground - height + 0.6),
            (x + 3.4, ground - height + 0.6),
            (x + 2.9, ground - height + 2.2),
            (x + 2.1, ground - height + 2.2),
        ],
        canvas["lit"],
    )


def car(canvas, x, ground, length):
    body = canvas.pick("clothes")
    h = length * 0.3
    canvas.rect(
        x + length * 0.2,
        ground - h * 1.55,
        x + length * 0.75,
        ground - h * 0.7,
        shade(body, -0.05),
        radius=h * 0.35,
    )
    canvas.rect(
        x + length * 0.26,
        ground - h * 1.4,
        x + length * 0.69,
        ground - h * 0.85,
        mix(canvas["window"], canvas["sky"][1], 0.3),
        radius=h * 0.2,
    )
    canvas.rect(x, ground - h * 0.95, x + length, ground - h * 0.25, body, radius=h * 0.3)
    for wheel in (0.22, 0.78):
        canvas.oval(x + length * wheel, ground - h * 0.25, h * 0.3, h * 0.3, canvas["ink"])
        canvas.oval(x + length * wheel, ground - h * 0.25, h * 0.12, h * 0.12, (190, 190, 196))


def street(canvas):
    """A terrace of houses in different colours, a pavement with people, a lamp post and a parked car."""
    canvas.sky(horizon=70, clouds=2)
    canvas.skyline(45, canvas.far(canvas["far"], 0.2), low=10, high=22)
    ground = 78
    x = -canvas.rng.uniform(0, 10)
    walls = canvas["walls"][:]
    canvas.rng.shuffle(walls)
    number = 0
    while x < canvas.right:
        width = canvas.rng.uniform(22, 27)
        house(
            canvas,
            x,
            width,
            ground,
            canvas.rng.uniform(46, 52),
            walls[number % len(walls)],
            canvas.pick("roofs"),
        )
        x += width
        number += 1
    pavement = canvas["ground"]
    canvas.rect(0, ground, canvas.right, 86, pavement)
    canvas.rect(0, 85, canvas.right, 86.5, shade(pavement, -0.15))
    canvas.rect(0, 86.5, canvas.right, 100, mix(canvas["ink"], pavement, 0.45))
    x = canvas.rng.uniform(0, 15)
    while x < canvas.right:
        canvas.rect(x, 93, x + 8, 94, mix(canvas["trim"], pavement, 0.3))
        x += 18
    lamp(canvas, canvas.rng.uniform(0.2, 0.8) * canvas.right, 85, 40)
    car(canvas, canvas.rng.uniform(0, max(1, canvas.right - 40)), 97, 30)
    for _ in range(max(2, round(canvas.right / 45))):
        figure(
            canvas,
            canvas.rng.uniform(4, canvas.right - 4),
            canvas.rng.uniform(82, 86),
            canvas.rng.uniform(17, 20),
        )


def tree(canvas, x, ground, height, haze=0.0):
    """A round-topped tree: a trunk and overlapping crowns in two greens."""
    light, dark = (canvas.far(colour, haze) for colour in canvas["green"])
    canvas.rect(
        x - height * 0.05, ground - height * 0.5, x + height * 0.05, ground, canvas.far((110, 80, 60), haze)
    )
    r = height * 0.26
    canvas.oval(x, ground - height * 0.66, r * 1.1, r * 1.05, dark)
    canvas.oval(x - r * 0.55, ground - height * 0.58, r * 0.8, r * 0.75, dark)
    canvas.oval(x + r * 0.5, ground - height * 0.62, r * 0.75, r * 0.7, light)
    canvas.oval(x - r * 0.1, ground - height * 0.8, r * 0.75, r * 0.7, light)


def town_hall(canvas):
    """A civic building: columns, a pediment, a clock tower and a flag, steps with people, trees."""
    canvas.sky(horizon=84, clouds=3)
    canvas.skyline(84, canvas.far(canvas["far"], 0.1), low=22, high=40)
    mid = canvas.right / 2
    stone = mix(canvas["walls"][5], (230, 220, 200), 0.5)
    dark_stone = shade(stone, -0.18)
    ground = 84
    half = min(canvas.right * 0.42, 60)
    canvas.rect(mid - 6, 8, mid + 6, 30, stone)
    canvas.poly([(mid - 7, 8), (mid + 7, 8), (mid, -2)], canvas.pick("roofs"))
    canvas.oval(mid, 17, 3.6, 3.6, canvas["trim"])
    canvas.line([(mid, 17), (mid, 14.6)], canvas["ink"], 0.5)
    canvas.line([(mid, 17), (mid + 1.8, 17.6)], canvas["ink"], 0.5)
    canvas.line([(mid, -2), (mid, -10)], canvas["ink"], 0.3)
    canvas.rect(mid - half, 36, mid + half, ground, stone)
    canvas.rect(mid - half - 1, 34, mid + half + 1, 38, dark_stone)
    canvas.poly([(mid - 22, 34), (mid + 22, 34), (mid, 22)], stone)
    canvas.poly([(mid - 18, 32.5), (mid + 18, 32.5), (mid, 25)], dark_stone)
    for n in range(6):
        x = mid - 18 + n * 7.2
        canvas.rect(x - 1.6, 38, x + 1.6, ground - 6, canvas["trim"])
        canvas.rect(x - 2.2, 38, x + 2.2, 40, shade(stone, -0.05))
        if n < 5:
            canvas.rect(x + 2, 52, x + 5.2, ground - 6, shade(stone, -0.3))
    for side in (-1, 1):
        for n in range(max(0, int((half - 24) / 8))):
            x = mid + side * (28 + n * 8)
            canvas.rect(x - 2, 44, x + 2, 54, canvas["window"])
            canvas.rect(x - 2, 62, x + 2, 72, canvas["window"])
            canvas.draw.chord(canvas.box(x - 2, 42, x + 2, 46), 180, 360, fill=canvas["window"])
    for step in range(3):
        canvas.rect(
            mid - 24 - step * 3,
            ground - 6 + step * 2,
            mid + 24 + step * 3,
            ground - 4 + step * 2,
            shade(stone, -0.06 * (step + 1)),
        )
    canvas.rect(0, ground, canvas.right, 100, canvas["ground"])
    canvas.rect(0, ground, canvas.right, ground + 1, shade(canvas["ground"], -0.12))
    flag = canvas.pick("clothes")
    canvas.poly([(mid, -9.5), (mid + 6, -7.5), (mid, -5.5)], flag)
    for side in (-1, 1):
        tree(canvas, mid + side * (half + 8), ground + 2, 40)
        if canvas.right > 2 * half + 40:
            tree(canvas, mid + side * (half + 24), ground + 3, 34)
    for _ in range(max(3, round(canvas.right / 30))):
        figure(
            canvas,
            canvas.rng.uniform(3, canvas.right - 3),
            canvas.rng.uniform(88, 98),
            canvas.rng.uniform(14, 18),
        )
