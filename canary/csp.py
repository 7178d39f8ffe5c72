import base64
import hashlib
import re
from functools import cache

from csp.constants import HEADER, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

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


# What django-csp's decorators set on a response to change or drop the policy for it.
PER_RESPONSE_SETTINGS = [
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
]


@cache
def site_policy():
    return build_policy()


@receiver(setting_changed)
def forget_site_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


class CanaryCSPMiddleware(CSPMiddleware):
    """Reader pages get the strict policy; the admin may also use inline styles and import maps.

    Django's admin widgets set style attributes, which a strict style-src blocks. Scripts stay
    strict everywhere: on reader pages nothing inline runs at all. In the admin the one inline
    script allowed is the rich-text editor's import map, by the hash of its exact text on that
    page. An import map only names where modules load from, and those modules must still come
    from 'self', so even a map that was not ours could load nothing from elsewhere.
    """

    def process_response(self, request, response):
        if not self.takes_the_site_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = site_policy()
        # As django-csp does: asking for a nonce once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def takes_the_site_policy(request, response):
        """Whether the response gets the site's policy as configured, with nothing of its own.

        Most responses do, and that policy is built once per process: django-csp rebuilds it
        from the settings for every response, a noticeable share of an uncached page.
        """
        return not (
            request.path_info.startswith("/" + settings.ADMIN_PATH)
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in PER_RESPONSE_SETTINGS)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or "EXCLUDE_URL_PREFIXES" in settings.CONTENT_SECURITY_POLICY
            or (settings.DEBUG and response.status_code in (404, 500))
        )

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/" + settings.ADMIN_PATH):
            update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
            hashes = importmap_hashes(response)
            if hashes:
                update["script-src"] = hashes
            parts.update = update
        return parts
