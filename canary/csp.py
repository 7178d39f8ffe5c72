from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings


class CanaryCSPMiddleware(CSPMiddleware):
    """Reader pages get the strict policy; the admin may also use inline styles.

    Django's admin widgets set style attributes, which a strict style-src blocks. Scripts
    stay strict everywhere: nothing inline runs, on reader pages or in the admin.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/" + settings.ADMIN_PATH):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
