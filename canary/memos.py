"""Everything a process remembers between requests, and what makes it forget.

Each is a speed trick: work an uncached page would otherwise repeat on every request. None
holds content that an editor can change (pages, stories, comments live in the database and
the shared cache, read on every request); each holds something made from settings, code or
its own key. tests/test_memos.py holds every reset listed here.

| memo | where | forgotten when |
| --- | --- | --- |
| reversed links | core.links._reverse | never needed: the URL's name, arguments, URLconf and script prefix are its key |
| compiled SQL | core.compiled_queries (each CompiledQuery, CompiledForIds) | DATABASES changes (setting_changed); off altogether with COMPILED_QUERIES=0 |
| static file addresses | canary.templating.cached_static | STATIC_URL, STATIC_ROOT or STORAGES changes (setting_changed) |
| formatted days | articles.story_parts._day | never needed: the day, the language and the format are its key |
| the blank comment form | articles.comment_forms.blank_fields | TEMPLATES changes (setting_changed) |
| the CSP header | canary.csp.site_policy | a CONTENT_SECURITY_POLICY* setting changes (setting_changed) |
| the query parameters a page reads | canary.page_cache_requests.params_read_by | ROOT_URLCONF changes (setting_changed) |
| the page cache's per-worker copy | canary.cache_backend.RedisReader, one per cache backend | the page-cache generation moves (any content change), an entry's deadline passes, or CACHES changes (Django makes new backends) |
| Stripe clients | supporters.payments.stripe_api._client | never needed: the secret key and API address are its key |

Not memos, though they live as long: registries filled at import (mailroom.kinds, the pieces
of core.site_parts, whose values are kept for one request only and dropped at its end).
A new memo belongs in this table, with its reset and a test in tests/test_memos.py.
"""

# (where, what forgets it): the test checks each is importable and resets as listed.
MEMOS = (
    ("core.links._reverse", "its key"),
    ("core.compiled_queries.forget_compiled_sql", "DATABASES"),
    ("canary.templating.cached_static", "STATIC_URL, STATIC_ROOT, STORAGES"),
    ("articles.story_parts._day", "its key"),
    ("articles.comment_forms.blank_fields", "TEMPLATES"),
    ("canary.csp.site_policy", "CONTENT_SECURITY_POLICY*"),
    ("canary.page_cache_requests.params_read_by", "ROOT_URLCONF"),
    ("canary.cache_backend.RedisReader", "the generation, the deadline, CACHES"),
    ("supporters.payments.stripe_api._client", "its key"),
)
