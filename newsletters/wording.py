"""The words a reader agrees to when signing up, versioned.

The consent record stores the version and the text shown, so a changed wording never rewrites
what an earlier reader agreed to. Change the text only together with a new version.
"""

CURRENT = "2026-12-1"

WORDINGS = {
    "2026-12-1": (
        "Email me the newsletters I have ticked. I can leave at any time with the link at the "
        "foot of every email. We use your address only to send them."
    ),
}


def current():
    return CURRENT, WORDINGS[CURRENT]
