"""The privacy notice's button for readers who object to being counted (static/js/readership.js)."""

from django.conf import settings
from markupsafe import Markup

BOX = Markup(
    '<section class="readership-objection" data-readership-objection aria-labelledby="readership-objection">'
    '<h2 id="readership-objection">Counting visits</h2>'
    '<p data-readership-status role="status">Without JavaScript this browser sends no counts.</p>'
    '<button type="button" class="button" aria-pressed="false" hidden>Don\'t count my visits</button>'
    "</section>"
)


def objection_box(page):
    """The button, on the privacy notice only (READERSHIP_PRIVACY_PAGE_SLUG)."""
    return BOX if getattr(page, "slug", None) == settings.READERSHIP_PRIVACY_PAGE_SLUG else ""
