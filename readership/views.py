"""The readers' "Most read" list as a fragment, for the script of pages that do not render it.

Article pages fetch it (static/js/most-read.js) rather than render it: it changes every few
minutes, and articles kept whole by the page cache or a CDN need not change with it. The
fragment is a public page of its own, kept by the page cache until the list's period ends.
"""

from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import most_read


@require_safe
@cache_control(public=True)
def most_read_fragment(request):
    response = render(
        request, "readership/most_read_fragment.html", {"most_read": most_read.for_page(request)}
    )
    response["X-Robots-Tag"] = "noindex"  # a piece of other pages, not a page to find
    return response
