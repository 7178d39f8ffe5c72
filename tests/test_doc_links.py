"""Every link between our docs leads somewhere: the file exists and, when the link names a
heading, the heading is there (spelled as GitHub makes anchors), and every picture is there."""

import re
from urllib.parse import unquote

from django.conf import settings

ROOT = settings.BASE_DIR
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", re.M)
FENCE = re.compile(r"```.*?```", re.S)


def anchor(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path):
    return {anchor(h) for h in HEADING.findall(FENCE.sub("", path.read_text()))}


def doc_files():
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def broken_links():
    broken = []
    for path in doc_files():
        for target in LINK.findall(FENCE.sub("", path.read_text())):
            if re.match(r"[a-z]+:", target):
                continue  # another site, or mailto
            file_part, _, fragment = target.partition("#")
            linked = (path.parent / unquote(file_part)).resolve() if file_part else path
            where = f"{path.relative_to(ROOT)} -> {target}"
            if not linked.exists():
                broken.append(f"{where}: no such file")
            elif fragment and fragment not in anchors(linked):
                broken.append(f"{where}: no such heading")
    return broken


def test_every_link_between_the_docs_leads_to_a_file_and_heading_that_exist():
    assert broken_links() == []


def test_the_anchor_spelling_matches_githubs():
    assert anchor("`make bench`: load, as ratios to Django's smallest view") == (
        "make-bench-load-as-ratios-to-djangos-smallest-view"
    )
    assert anchor("What an attacker's test found (December 2026), and what holds now") == (
        "what-an-attackers-test-found-december-2026-and-what-holds-now"
    )


def test_every_guide_the_readme_sends_readers_to_is_linked_from_it():
    readme = (ROOT / "README.md").read_text()
    for guide in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{guide.name})" in readme, guide.name
