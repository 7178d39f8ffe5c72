"""The click-through redirect of a newsletter's links: one UPDATE, then on to the story.

Nothing about the reader is kept: the link names an issue's link row, not a subscriber, and
no address or cookie is stored. A link whose signature does not check goes to the home page
rather than anywhere it names, so this is no open redirect.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.client_address import client_ip
from core.ratelimit import allow

from ..models import IssueLink


@never_cache
@require_safe
def go(request, token):
    # Over the limit the reader still goes on; the click is simply not counted.
    counted = allow("newsletter-clicks:ip", client_ip(request), settings.CLICK_RATE_LIMIT)
    return redirect(IssueLink.follow(token, count=counted) or "articles:home")
