"""Places other than articles that can send a reader to an appeal: a newsletter issue, for now.

Supporters sits below newsletters and must not import it, so newsletters registers here (in its
AppConfig.ready) how to tell a real issue id from a made-up one and what to call an issue in the
appeals report. A click or a gift keeps only the issue's id, never who clicked.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Issues:
    known: Callable  # (id) -> bool: an issue that went out, so a click may credit it
    names: Callable  # (ids) -> {id: "Newsletter: … — …"} for the report


_issues: Issues | None = None


def register_issues(*, known, names):
    global _issues
    _issues = Issues(known, names)


def issue_id(text):
    """The id of a sent issue named in a query, or 0: a made-up id would add rows to the report."""
    if _issues is None or not (text.isascii() and text.isdigit() and len(text) < 12):
        return 0
    return int(text) if _issues.known(int(text)) else 0


def issue_names(ids):
    names = _issues.names(ids) if _issues is not None and ids else {}
    return {pk: names.get(pk, f"Removed newsletter issue {pk}") for pk in ids}
