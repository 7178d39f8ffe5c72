"""Fresh statistics for the database's query planner after every migrate and bulk load.

SQLite keeps none until ANALYZE runs, and without them its planner guesses: on the tag and
front pages it guessed wrong and read every story. PostgreSQL's autovacuum gathers them in time,
but not at once for a table a migration or an import has just filled. So both are analysed after
every migrate (that is, every deploy) and bulk load, SQLite with analysis_limit keeping it to
milliseconds however large the database.
"""

from django.db import connections

SQLITE_ROWS_SAMPLED_PER_INDEX = 1000


def refresh_statistics(using="default"):
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ROWS_SAMPLED_PER_INDEX}")
        if connection.vendor in ("sqlite", "postgresql"):
            cursor.execute("ANALYZE")


def refresh_after_migrate(sender, using="default", **kwargs):
    refresh_statistics(using)
