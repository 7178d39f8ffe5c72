"""Charts as server-rendered SVG: nothing from another host, and every bar carries its number
and label in text, so none is read by colour alone."""

from django.utils.html import format_html, format_html_join

BAR_COLOUR = "#417690"  # the admin's own blue; the numbers carry the meaning


def columns(points, *, title, height=160, bar=22, gap=6):
    """Vertical bars for [(label, value)], each with its value above and label below."""
    top = max((value for _, value in points), default=0) or 1
    width = len(points) * (bar + gap) + gap
    room = height - 40
    bars = []
    for index, (label, value) in enumerate(points):
        x = gap + index * (bar + gap)
        size = round(room * value / top)
        y = 20 + room - size
        bars.append(
            format_html(
                '<g><title>{}: {}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text></g>',
                label,
                value,
                x,
                y,
                bar,
                max(size, 1 if value else 0),
                BAR_COLOUR,
                x + bar / 2,
                y - 4,
                value,
                x + bar / 2,
                height - 6,
                label,
            )
        )
    return format_html(
        '<svg class="readership-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' preserveAspectRatio="xMinYMin meet">{}</svg>',
        title,
        width,
        height,
        width,
        height,
        format_html_join("", "{}", ((piece,) for piece in bars)),
    )


def rows(points, *, title, width=420, line=22):
    """Horizontal bars for [(label, value)]: the label, the bar, then the number."""
    top = max((value for _, value in points), default=0) or 1
    room = width - 200
    height = line * len(points) + 4
    body = format_html_join(
        "",
        '<g><title>{}: {}</title><text x="0" y="{}" font-size="12">{}</text>'
        '<rect x="140" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12">{}</text></g>',
        (
            (
                label,
                value,
                index * line + 15,
                label,
                index * line + 4,
                round(room * value / top),
                line - 8,
                BAR_COLOUR,
                146 + round(room * value / top),
                index * line + 15,
                value,
            )
            for index, (label, value) in enumerate(points)
        ),
    )
    return format_html(
        '<svg class="readership-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' preserveAspectRatio="xMinYMin meet">{}</svg>',
        title,
        width,
        height,
        width,
        height,
        body,
    )


def funnel(stages, *, title, width=520, line=30):
    """Stages [(label, value)] as bars narrowing down, each with its number and, after the
    first, the share of the stage before it in words ("(12% of appeal views)")."""
    top = max((value for _, value in stages), default=0) or 1
    room = width - 300
    pieces = []
    for index, (label, value) in enumerate(stages):
        size = round(room * value / top)
        share = ""
        if index:
            before_label, before = stages[index - 1]
            share = f"({round(100 * value / before)}% of {before_label.lower()})" if before else ""
        y = index * line
        pieces.append(
            format_html(
                '<g><title>{}: {}</title><text x="0" y="{}" font-size="12">{}</text>'
                '<rect x="110" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12">{} {}</text></g>',
                label,
                value,
                y + 18,
                label,
                y + 5,
                max(size, 1 if value else 0),
                line - 10,
                BAR_COLOUR,
                116 + size,
                y + 18,
                value,
                share,
            )
        )
    height = line * len(stages) + 4
    return format_html(
        '<svg class="readership-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' preserveAspectRatio="xMinYMin meet">{}</svg>',
        title,
        width,
        height,
        width,
        height,
        format_html_join("", "{}", ((piece,) for piece in pieces)),
    )
