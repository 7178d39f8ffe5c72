"""Production settings for `make bench`, with the per-address limits lifted (search, beacon).

All of the benchmark's load comes from one address (127.0.0.1), where a spike's readers come
from thousands; with the limits in place the cold search run would measure 429 answers and the
beacon run would measure beacons answered without being counted.
Everything else is canary.settings, as production runs it.
"""

from canary.settings import *  # noqa: F403

SEARCH_RATE_LIMIT = 1_000_000_000
READERSHIP_RATE_LIMIT = 1_000_000_000
