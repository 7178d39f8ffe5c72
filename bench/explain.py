"""The query plans of the home, article and tag pages, from the database that serves them.

Run by bench/plans.py against a generated archive: each page is requested in-process with the
page cache off, every SELECT it ran is explained with EXPLAIN (ANALYZE, BUFFERS) on
PostgreSQL (EXPLAIN QUERY PLAN on SQLite), and a sequential scan of a table that grows with
the archive is reported. Prints one JSON object.

    python -m bench.explain
"""

import json
import os
import re

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canary.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import choose_pages  # noqa: E402

# Tables whose size follows the archive: reading one whole is what must never happen.
GROWING = ("articles_article", "articles_articletag", "articles_comment", "articles_article_authors")
PAGES = ("home", "article", "tag")


def plan_of(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def full_scans(plan):
    if connection.vendor == "postgresql":
        found = re.findall(r"Seq Scan on (\w+)", plan)
    else:
        found = re.findall(r"SCAN (\w+)(?! USING)", plan)
    return sorted({table for table in found if table in GROWING})


def explain(pages):
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    report = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name in PAGES:
            url = pages[name]
            client.get(url)  # per-process caches warm, as in a running worker
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            queries = []
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                # CaptureQueriesContext keeps the SQL with its values in place.
                plan = plan_of(sql, None)
                timing = re.search(r"Execution Time: ([\d.]+) ms", plan)
                queries.append(
                    {
                        "sql": sql[:300],
                        "full_scans": full_scans(plan),
                        "execution_ms": float(timing.group(1)) if timing else None,
                        "plan": plan,
                    }
                )
            report[name] = {"url": url, "queries": queries}
    return report


if __name__ == "__main__":
    print(json.dumps({"vendor": connection.vendor, "pages": explain(choose_pages())}))
