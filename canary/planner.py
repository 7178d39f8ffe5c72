"""Statistics for SQLite's query planner.

PostgreSQL's autovacuum keeps its statistics current by itself. SQLite has none until ANALYZE
runs, and without them its planner guesses: on the tag and front pages it guessed wrong and read
every story. So they are refreshed after every migrate (that is, every deploy) and after a bulk
load, with analysis_limit keeping ANALYZE to milliseconds however large the database.
"""

from django.db import connections

ROWS_SAMPLED_PER_INDEX = 1000


def refresh_statistics(using="default"):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ROWS_SAMPLED_PER_INDEX}")
        cursor.execute("ANALYZE")


def refresh_after_migrate(sender, using="default", **kwargs):
    refresh_statistics(using)
