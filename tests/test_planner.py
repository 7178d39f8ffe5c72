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


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " / ".join(row[-1] for row in cursor.fetchall())
        # On a table this small PostgreSQL rightly reads a few rows and sorts them (make plans
        # checks its choices at 100,000 stories). Here: can an index give this order at all?
        # With scans, bitmaps and sorts priced out, a Sort left in the plan means none can.
        for setting in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return " / ".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("in_a_section", [False, True])
def test_newest_first_lists_come_from_the_index_without_a_sort(in_a_section):
    from articles.models import Article

    stories = [make_article(f"Story {number}") for number in range(30)]
    call_command("migrate", verbosity=0)  # fresh statistics, as after a deploy
    listed = Article.objects.published()
    if in_a_section:
        listed = listed.filter(section_id=stories[0].section_id)
    plan = plan_of(listed.order_by("-published_at", "-id").values("id", "headline")[:20])
    assert "article_published_idx" in plan or "article_section_idx" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
