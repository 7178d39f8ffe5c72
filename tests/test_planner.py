import pytest
from django.core.management import call_command
from django.db import connection

from articles.factories import make_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL's autovacuum keeps its own statistics"
    ),
]


def article_rows_counted():
    """How many stories SQLite's planner statistics say the article table holds (0: none kept)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'articles_article' AND idx IS NOT NULL")
        row = cursor.fetchone()
    return int(row[0].split()[0]) if row else 0


def test_every_migrate_gives_sqlite_s_planner_fresh_statistics():
    for number in range(3):
        make_article(f"Story {number}")
    assert article_rows_counted() != 3
    call_command("migrate", verbosity=0)
    assert article_rows_counted() == 3
