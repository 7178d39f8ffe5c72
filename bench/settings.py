"""Production settings for `make bench`, with one change: the per-address search limit is lifted.

All of the benchmark's load comes from one address (127.0.0.1), where a spike's readers come
from thousands; with the limit in place the cold search run would measure 429 answers.
Everything else is canary.settings, as production runs it.
"""

from canary.settings import *  # noqa: F403

SEARCH_RATE_LIMIT = 1_000_000_000
