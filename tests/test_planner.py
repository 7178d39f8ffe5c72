import pytest
from django.core.management import call_command
from django.db import connection

from articles.factories import make_article

pytestmark = pytest.mark.django_db


def articles_the_planner_knows_of():
    """How many stories the query planner's statistics say the article table holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'articles_article' AND idx IS NOT NULL")
            row = cursor.fetchone()
            return int(row[0].split()[0]) if row else 0
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
        return max(int(cursor.fetchone()[0]), 0)


def test_every_migrate_gives_the_query_planner_fresh_statistics():
    for number in range(3):
        make_article(f"Story {number}")
    assert articles_the_planner_knows_of() != 3
    call_command("migrate", verbosity=0)
    assert articles_the_planner_knows_of() == 3
