"""The Content-Security-Policy every page is served with (canary/csp.py adds the hashes of
the admin's import maps): our own origin only, and the co-op's own media host when its
pictures live in a bucket; no inline code, no framing, no plugins."""

from csp.constants import NONE, SELF


def content_security_policy(media_origin=""):
    """The policy, with ``media_origin`` (e.g. "https://media.example.org") allowed for pictures."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, "data:", *([media_origin] if media_origin else [])],
            "font-src": [SELF],
            "connect-src": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
            "base-uri": [SELF],
            "object-src": [NONE],
        },
    }
