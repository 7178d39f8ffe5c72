"""Emails queued before the outbox rendered templates: their stored text, sent as it was.

Migration 0002 gives each such row still waiting this kind; nothing new is written with it.
"""

from .kinds import email_kind


@email_kind("mailroom/legacy")
def legacy(params, to):
    if not params.get("body"):
        return None
    return {"subject": params.get("subject", ""), "body": params["body"]}
