"""Site-wide pieces every reader page shows, read from the shared cache once per request.

The navigation and footer links (articles.navigation) and the live appeals and house ads
(supporters.appeals) are kept in the shared cache until they change. A page asks for them
several times: the navigation and the footer, then each slot for an appeal or an ad. Each ask
was a round trip to Redis, seven on an article page. Here the first ask in a request fetches
every registered piece in one ``get_many``, and the rest of the request reuses what came back.

Nothing is kept between requests, so a change made through one app server shows on the next
request to every other, as before. Outside a request (commands, the worker, a shell) each
read goes to the shared cache.
"""

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

_loaders = {}
_current = Local()


def register(key, load, timeout):
    """Declare a piece: where it is kept, how to build it when missing, and for how long."""
    _loaders[key] = (load, timeout)


def read(key):
    memo = getattr(_current, "memo", None)
    if memo is None:
        return _fetch([key])[key]
    if key not in memo:
        memo.update(_fetch([k for k in _loaders if k not in memo]))
    return memo[key]


def forget(key):
    """Drop a piece after a change; the next read builds it again.

    On commit: dropped earlier, a reader in between would build it again from the rows as they
    were before the change and keep that stale copy for the piece's whole timeout.
    """
    memo = getattr(_current, "memo", None)
    if memo is not None:
        memo.pop(key, None)
    transaction.on_commit(lambda: _drop(key))


def _drop(key):
    cache.delete(key)
    memo = getattr(_current, "memo", None)
    if memo is not None:
        memo.pop(key, None)


def _fetch(keys):
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            load, timeout = _loaders[key]
            found[key] = load()
            cache.set(key, found[key], timeout)
    return found


def _start(**kwargs):
    _current.memo = {}


def _finish(**kwargs):
    _current.memo = None


request_started.connect(_start, dispatch_uid="canary-site-parts-start")
request_finished.connect(_finish, dispatch_uid="canary-site-parts-finish")
