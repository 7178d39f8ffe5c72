"""Posting a comment as a reader's browser does: the CSRF cookie, the signed form stamp, the form."""

import re
import time

from django.conf import settings

from articles.comment_forms import stamp_for


def csrf_secret(client):
    """The browser's CSRF cookie, set by /comments/token/ as comments.js asks for it."""
    if settings.CSRF_COOKIE_NAME not in client.cookies:
        client.get("/comments/token/")
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def stamp(client, seconds_ago=10):
    """A signed "form shown at" time for this browser, as if it had had the form a while."""
    return stamp_for(csrf_secret(client), time.time() - seconds_ago)


def comment_data(client, **overrides):
    return {
        "name": "Ada Reader",
        "email": "ada@example.com",
        "body": "A fair point,\nwell made.",
        "rendered": stamp(client),
        **overrides,
    }


def post(client, article, **overrides):
    return client.post(f"/comments/{article.pk}/post/", comment_data(client, **overrides))


def described_by_targets_missing(page):
    """The ids that the page's aria-describedby attributes name but no element carries."""
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    named = {name for value in re.findall(r'aria-describedby="([^"]+)"', page) for name in value.split()}
    return named - ids
