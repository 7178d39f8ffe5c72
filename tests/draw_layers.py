"""Draw docs/architecture-layers.svg, the parts of Canary and their allowed arrows, from the code.

    python -m tests.draw_layers          # rewrite the picture
    python -m tests.draw_layers --check  # exit 1 if the committed picture is out of date

The parts, their order and the allowed arrows come from the table tests/test_layers.py holds
the imports to; whether an allowed arrow is in use comes from the imports themselves (the same
`arrows()` that test reads). The parts stand in a column, highest first; every arrow points
down the column, so it is drawn as an arc beside it: into the shared bottom layer on the
left, between apps on the right. A solid arc is an import in the code today, a dashed one is
allowed but unused, a red one is an import the table forbids (tests/test_layers.py fails on it
too). An arrow not drawn is not allowed. Plain SVG written by hand: no layout library, and the
same code gives the same bytes, so a test can compare them.
"""

import sys
from xml.sax.saxutils import escape

from tests.test_layers import ALLOWED, APPS, BOTTOM, ROOT, arrows

PICTURE = ROOT / "docs" / "architecture-layers.svg"

# What each part holds, in a few words (the picture's labels; docs/architecture.md says more).
ROLES = {
    "canary": "the project: settings, URLs, middleware",
    "readership": "cookie-free reading counts",
    "newsletters": "sign-up, consent, sending",
    "supporters": "gifts, membership, appeals",
    "articles": "stories, comments, reader pages",
    "mailroom": "the outbox: email after commit",
    "core": "shared helpers, the clock",
}

BOX_W, BOX_H, STEP = 230, 44, 74
LEFT_ROOM, RIGHT_ROOM, TOP = 250, 250, 64
INK, USED, FORBIDDEN, PAPER = "#1d1d1f", "#1f5fa8", "#c0262d", "#ffffff"


def column():
    """The parts from the top of the column down: more allowed arrows out means higher."""
    present = [app for app in APPS if (ROOT / app).is_dir()]
    return sorted(present, key=lambda app: (-len(ALLOWED[app]), app in BOTTOM, APPS.index(app)))


def picture(imports=None):
    """The SVG text; ``imports`` (from part, to part) pairs default to the code's own."""
    parts = column()
    rank = {app: i for i, app in enumerate(parts)}
    if imports is None:
        imports = [(source, target) for source, target, _ in arrows()]
    used = set(imports)
    allowed = {(s, t) for s in parts for t in ALLOWED[s] if t in rank and t != s}
    edges = sorted(allowed | used, key=lambda e: (rank[e[0]], rank[e[1]]))
    left_x, right_x = LEFT_ROOM, LEFT_ROOM + BOX_W
    width = LEFT_ROOM + BOX_W + RIGHT_ROOM
    height = TOP + len(parts) * STEP + 70

    def middle(app):
        return TOP + rank[app] * STEP + BOX_H / 2

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        "<title>The parts of Canary and the arrows allowed between them</title>",
        f'<rect width="{width}" height="{height}" fill="{PAPER}"/>',
        "<defs>",
    ]
    for name, colour in (("used", USED), ("allowed", INK), ("forbidden", FORBIDDEN)):
        out.append(
            f'<marker id="head-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    out.append(
        f'<text x="{width / 2:.0f}" y="26" text-anchor="middle" font-size="16" '
        f'font-weight="bold" fill="{INK}">Canary: the parts and the imports allowed between them</text>'
    )
    out.append(
        f'<text x="{width / 2:.0f}" y="46" text-anchor="middle" fill="{INK}">'
        "Drawn from tests/test_layers.py by python -m tests.draw_layers</text>"
    )
    for source, target in edges:
        span = rank[target] - rank[source]
        into_bottom = target in BOTTOM
        # Nudge each end by the other end's rank, so arrows sharing a box do not share a point.
        y1 = middle(source) + (rank[target] - 3) * 4
        y2 = middle(target) + (rank[source] - 3) * 4
        bulge = 22 + span * 34
        x = left_x if into_bottom else right_x
        reach = x - bulge if into_bottom else x + bulge
        if (source, target) not in allowed:
            kind, colour, dash = "forbidden", FORBIDDEN, ""
        elif (source, target) in used:
            kind, colour, dash = "used", USED, ""
        else:
            kind, colour, dash = "allowed", INK, ' stroke-dasharray="5 4"'
        out.append(
            f'<path d="M{x},{y1:.1f} C{reach},{y1:.1f} {reach},{y2:.1f} {x},{y2:.1f}" '
            f'fill="none" stroke="{colour}" stroke-width="1.6"{dash} '
            f'marker-end="url(#head-{kind})"><title>{source} imports {target}: {kind}</title></path>'
        )
    for app in parts:
        top = TOP + rank[app] * STEP
        fill = "#eef3f8" if app in BOTTOM else ("#f6f1e7" if app == "canary" else "#f3f6ee")
        out.append(
            f'<rect x="{left_x}" y="{top}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{fill}" stroke="{INK}" stroke-width="1.2"/>'
        )
        out.append(
            f'<text x="{left_x + BOX_W / 2:.0f}" y="{top + 18}" text-anchor="middle" '
            f'font-weight="bold" fill="{INK}">{escape(app)}/</text>'
        )
        out.append(
            f'<text x="{left_x + BOX_W / 2:.0f}" y="{top + 35}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">{escape(ROLES.get(app, ""))}</text>'
        )
    key_y = height - 40
    out.append(
        f'<text x="{width / 2:.0f}" y="{key_y}" text-anchor="middle" fill="{INK}">'
        f'<tspan fill="{USED}">━━ imported today</tspan>     ╌╌ allowed, not used yet     '
        f'<tspan fill="{FORBIDDEN}">━━ forbidden</tspan></text>'
    )
    out.append(
        f'<text x="{width / 2:.0f}" y="{key_y + 20}" text-anchor="middle" fill="{INK}">'
        "No arrow: not allowed. Left: into the shared layer. Right: between apps.</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    made = picture()
    if "--check" in argv:
        if not PICTURE.exists() or PICTURE.read_text() != made:
            print(f"{PICTURE.relative_to(ROOT)} is out of date: run python -m tests.draw_layers")
            return 1
        return 0
    PICTURE.write_text(made)
    print(f"wrote {PICTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
