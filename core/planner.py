"""Fresh statistics for the database's query planner after every migrate and bulk load.

SQLite keeps none until ANALYZE runs, and without them its planner guesses: on the tag and
front pages it guessed wrong and read every story. PostgreSQL's autovacuum gathers them in time,
but not at once for a table a migration or an import has just filled. So both are analysed after
every migrate (that is, every deploy) and bulk load. SQLite's is a full ANALYZE (50 ms for
10,000 stories): with a sampling limit its estimate of stories per tag came out ten times too
high, and the sitemap index's tag count took 100 ms instead of 1.
"""

from django.db import connections


def refresh_statistics(using="default"):
    connection = connections[using]
    if connection.vendor in ("sqlite", "postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def refresh_after_migrate(sender, using="default", **kwargs):
    refresh_statistics(using)
