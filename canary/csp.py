import base64
import hashlib
import re

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

# An inline import map, as django-prose-editor's media renders it (django-js-asset's ImportMap).
IMPORTMAP = re.compile(
    rb"<script\b[^>]*?\btype\s*=\s*[\"']?importmap[\"']?[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def importmap_hashes(response):
    """The CSP hash sources of the import maps in an HTML response, e.g. "'sha256-…'"."""
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return sorted(
        {
            "'sha256-{}'".format(base64.b64encode(hashlib.sha256(text).digest()).decode("ascii"))
            for text in IMPORTMAP.findall(response.content)
        }
    )


class CanaryCSPMiddleware(CSPMiddleware):
    """Reader pages get the strict policy; the admin may also use inline styles and import maps.

    Django's admin widgets set style attributes, which a strict style-src blocks. Scripts stay
    strict everywhere: on reader pages nothing inline runs at all. In the admin the one inline
    script allowed is the rich-text editor's import map, by the hash of its exact text on that
    page. An import map only names where modules load from, and those modules must still come
    from 'self', so even a map that was not ours could load nothing from elsewhere.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/" + settings.ADMIN_PATH):
            update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
            hashes = importmap_hashes(response)
            if hashes:
                update["script-src"] = hashes
            parts.update = update
        return parts
