"""How long the page being rendered stays true, said by a piece of it that changes by the clock.

A piece of a page worked out for a period (readership's "Most read", refreshed every few
minutes) marks the request with the moment it changes; the page cache keeps that page no
longer than the earliest such moment. Other pages are untouched, so they do not all expire
together when the piece changes.
"""

ATTRIBUTE = "page_true_until"


def keep_until(request, moment):
    """The page rendered for `request` changes at `moment` (a Unix time) at the latest."""
    if request is None:
        return
    current = getattr(request, ATTRIBUTE, None)
    if current is None or moment < current:
        setattr(request, ATTRIBUTE, moment)


def deadline(request):
    """The Unix time the page changes by the clock, or None if no piece of it said so."""
    return getattr(request, ATTRIBUTE, None)
