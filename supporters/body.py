"""Splitting an article body between its top-level blocks, to place a break inside it."""

from html.parser import HTMLParser

VOID = {"br", "hr", "img"}


def top_level_paragraph_ends(html):
    """Character offsets just after each top-level </p> of the (sanitized) body."""
    offsets = []
    lines = html.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.depth = 0

        def handle_starttag(self, tag, attrs):
            if tag not in VOID:
                self.depth += 1

        def handle_endtag(self, tag):
            if tag in VOID:
                return
            self.depth -= 1
            if self.depth == 0 and tag == "p":
                line, column = self.getpos()
                start = starts[line - 1] + column
                offsets.append(html.index(">", start) + 1)

    parser = Parser()
    parser.feed(html)
    parser.close()
    return offsets


def split_after_paragraph(html, n):
    """(before, after) around the end of the n-th top-level paragraph, or None if there is no such place."""
    ends = top_level_paragraph_ends(html)
    if n < 1 or len(ends) <= n:
        return None
    cut = ends[n - 1]
    return html[:cut], html[cut:]


def count_paragraphs(html):
    return len(top_level_paragraph_ends(html))
