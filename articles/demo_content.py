"""Demo content for The Canary, read from the JSON files in ``articles/demo/`` for ``seed_demo``.

Plain data only (no Django imports), so it can be read and checked on its own. Everything
there is fictional: Harbourside is an invented UK city, and the people, places and
organisations in its stories are made up.

- ``sections.json`` is in navigation order; ``authors.json`` and ``pages.json`` as listed; a
  page's ``{media_host}`` is the host the pictures come from (``pages()`` fills it in).
- In ``articles.json``, ``hours_ago`` is how long before seeding an article was published; a
  negative value means the article is scheduled for that many hours in the future. An
  article's ``image`` gives the ``subject`` the picture illustrates and the ``scene`` drawn for it
  (one of ``articles.illustrations.SCENES``): the pictures are illustrations our code draws, so
  ``seed_demo`` starts each alt text with what the drawn scene really shows.
- In ``comments.json``, ``reply_to`` is the zero-based index in that list of the comment
  being answered; a comment is approved unless its ``status`` says ``pending`` (waiting for a
  moderator).
- The ``body`` of an article or a page is written as a list of its HTML blocks, one a line so
  the files can be read and diffed; they are joined with nothing.
"""

import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "demo"


def load(name):
    rows = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    for row in rows:
        if isinstance(row.get("body"), list):
            row["body"] = "".join(row["body"])
        if "action_links" in row:
            row["action_links"] = [tuple(link) for link in row["action_links"]]
    return rows


def pages(media_host):
    """The static pages, the privacy notice naming the host readers' browsers get pictures from."""
    return [{**page, "body": page["body"].replace("{media_host}", media_host)} for page in PAGES]


SECTIONS = load("sections")
AUTHORS = load("authors")
PAGES = load("pages")
ARTICLES = load("articles")
COMMENTS = load("comments")
