"""Reader links, reversed once per process.

reverse() walks the URLconf and checks its answer against the pattern again, tens of
microseconds a call, and an uncached front page asks for about a hundred links to the same few
dozen stories, sections and bylines. The answer depends only on the URL's name and arguments,
the URLconf and the script prefix, which are all in the key, so it can be kept as it is.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=8192)
def _reverse(prefix, urlconf, name, args):
    return reverse(name, args=args, urlconf=urlconf)


def link(name, *args):
    """reverse(name, args=args), remembered; args must be strings or numbers."""
    return _reverse(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args)
