"""The reader's full-text search: one index per database backend, kept current by signals.

* PostgreSQL: a weighted tsvector in ``SearchEntry.vector``, a narrow table beside the stories
  (headline A, standfirst B, body and tags C) with a GIN index, matched with ``websearch_to_tsquery`` (which never
  raises on odd input) and ranked with ``ts_rank``.
* SQLite: the FTS5 table ``articles_search`` (rowid = article id), matched with every term
  quoted as an FTS5 string, so no reader input is ever operator syntax, and ranked in tiers:
  every word in the headline, then in the headline or standfirst, then anywhere (not
  ``bm25()``, which counts every row holding each word, a cost that grows with the archive).

The index holds every article, drafts included, because a status change or a scheduled time
arriving must not need a reindex. What readers get is filtered by ``published()`` at query
time, so a draft or scheduled story is never found.

Both the migration (0002_search) and ``rebuild_search_index`` fill the index from scratch;
the signals connected in ``ArticlesConfig.ready()`` keep it current after that, at once for a
save, or in bulk at the end of a ``deferred()`` block (the WordPress import).
"""

import html
import json
import re
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils.html import strip_tags

from core.planner import refresh_statistics

from .models import Article, ArticleTag
from .pagination import most_listed
from .search_results import RankedArticles, search_plainly

CONFIG = "english"
# Results a reader can page through (LIST_MAX_PAGES of them). Matches are ranked among the
# newest this many and one more, to tell "more than": a common word matches most of the
# archive, and ranking all of it would cost more every year.
RESULTS_PAGE_SIZE = 20
# SQLite's ranking tiers, best first: the FTS5 columns that must hold every word the reader typed.
FTS_TIERS = ("{headline}", "{headline standfirst}")

# Block-level tags separate words: "<p>rent</p><p>strike</p>" must not index "rentstrike".
_BLOCK_TAG = re.compile(r"</?(?:p|br|h[1-6]|blockquote|ul|ol|li|figure|figcaption|hr|div|img)\b[^>]*>", re.I)


def body_text(body_html):
    # strip_tags leaves entities escaped ("&amp;"); the index wants the characters.
    return html.unescape(strip_tags(_BLOCK_TAG.sub(" ", body_html or "")))


# --- Indexing -------------------------------------------------------------------------------

# Stories per round trip. On SQLite every indexing path reads and writes through these batches:
# three statements per INDEX_BATCH stories (plus a fixed few), never a delete, an insert or a
# savepoint per story. On PostgreSQL the server reads the stories itself (_VECTOR_SQL): one
# statement a batch, and a full rebuild three statements however large the archive.
INDEX_BATCH = 2000

# Inside deferred(): the ids whose index entry is out of date, indexed together at the end.
_pending = ContextVar("search_pending", default=None)

# body_text() in SQL, for the article row "a": block tags become spaces, other tags go, and the
# entities the sanitiser writes become characters ("&amp;" last, so "&amp;lt;" stays "&lt;").
# Stored bodies pass clean_html(), which writes no other entity and escapes ">" in attributes.
_BODY_SQL = (
    "replace(replace(replace(replace(replace(replace(regexp_replace(regexp_replace(COALESCE(a.body, ''), "
    r"'</?(p|br|h[1-6]|blockquote|ul|ol|li|figure|figcaption|hr|div|img)\y[^>]*>', ' ', 'gi'), "
    "'<[^>]*>', '', 'g'), "
    """'&nbsp;', chr(160)), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&')"""
)
# Each article's tag names, in name order, as the subquery "t" (article_id, names).
_TAG_NAMES_SQL = (
    "SELECT tagging.content_object_id AS article_id, string_agg(tag.name, ' ' ORDER BY tag.name) AS names "
    "FROM articles_articletag AS tagging JOIN taggit_tag AS tag ON tag.id = tagging.tag_id {where} "
    "GROUP BY tagging.content_object_id"
)
# As SearchVector(headline, A) + (standfirst, B) + (body, tags, C) would write it, computed by
# the server from the row "a" and its tags "t": the text never travels to Python and back.
_VECTOR_SQL = (
    f"setweight(to_tsvector('{CONFIG}', COALESCE(a.headline, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', COALESCE(a.standfirst, '')), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', {_BODY_SQL} || ' ' || COALESCE(t.names, '')), 'C')"
)


# Writes a vector only where it changed: a rebuild that finds the index current rewrites nothing.
_UPSERT = "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector WHERE e.vector IS DISTINCT FROM EXCLUDED.vector"


def index_article(article_or_id):
    """Put an article's current headline, standfirst, body text and tag names in the index."""
    pk = article_or_id.pk if isinstance(article_or_id, Article) else article_or_id
    index_articles([pk])


def remove_article(article_id):
    index_articles([article_id])


def index_articles(ids):
    """Reindex these articles, INDEX_BATCH at a time; ids no longer in the table leave the index."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), INDEX_BATCH):
        chunk = ids[start : start + INDEX_BATCH]
        if connection.vendor == "postgresql":
            # A deleted article's entry went with its row (CASCADE). Plain SQL: no signals, no
            # updated_at, no cache bump; an unchanged vector is not rewritten.
            with connection.cursor() as cursor:
                tags = _TAG_NAMES_SQL.format(where="WHERE tagging.content_object_id = ANY(%s)")
                cursor.execute(
                    f"INSERT INTO articles_searchentry AS e (article_id, vector) SELECT a.id, {_VECTOR_SQL} "  # noqa: S608 (constants only)
                    f"FROM articles_article AS a LEFT JOIN ({tags}) AS t ON t.article_id = a.id "
                    f"WHERE a.id = ANY(%s) {_UPSERT}",
                    [chunk, chunk],
                )
        elif connection.vendor == "sqlite":
            rows = _rows(
                Article.objects.filter(pk__in=chunk), ArticleTag.objects.filter(content_object__in=chunk)
            )
            # FTS5 has no upsert on rowid: delete and insert, one statement each for the batch.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM articles_search WHERE rowid IN (SELECT value FROM json_each(%s))",
                    [json.dumps(chunk)],
                )
                _write(rows)


def rebuild():
    """Reindex every article (after an import, say); returns how many were indexed.

    One transaction: readers' search answers from the old index until it commits.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            count = _rebuild_on_postgresql()
        elif connection.vendor == "sqlite":
            count = _rebuild_fts_table()
        else:
            count = Article.objects.count()  # no index: search reads the table itself
    # Every vector changed at once: without fresh statistics PostgreSQL's planner takes a
    # common word for a rare one.
    refresh_statistics()
    return count


def _rebuild_on_postgresql():
    """Every vector computed in one query that the server spreads over its parallel workers
    (to_tsvector is most of the work; an INSERT's own SELECT never runs in parallel), then
    written in one upsert that leaves alone the entries whose vector did not change.

    The GIN index stays: dropping it for the rebuild would lock every search out until the
    commit, and keeping it current costs little (docs/performance.md, "A big archive"). The
    stories themselves are not written at all, so an editor's save never waits for a rebuild.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE search_rebuild AS "  # noqa: S608 (constants only)
            f"SELECT a.id, {_VECTOR_SQL} AS vector FROM articles_article AS a "
            f"LEFT JOIN ({_TAG_NAMES_SQL.format(where='')}) AS t ON t.article_id = a.id"
        )
        count = cursor.rowcount
        cursor.execute(
            f"INSERT INTO articles_searchentry AS e (article_id, vector) SELECT id, vector FROM search_rebuild {_UPSERT}"  # noqa: S608 (constants only)
        )
        # Dropped here, not on commit: an outer transaction may rebuild twice.
        cursor.execute("DROP TABLE search_rebuild")
    return count


def forget_flushed_stories(using="default", **kwargs):
    """After a migrate or a flush: on SQLite, an index that holds words while no story is left
    (a flush) is emptied. Two lookups of one row each when there is nothing to do."""
    database = connections[using]
    if database.vendor != "sqlite":
        return
    with database.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'articles_search'")
        if cursor.fetchone() is None:
            return  # migrating backwards, or not yet this far
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM articles_search) AND NOT EXISTS (SELECT 1 FROM articles_article)"
        )
        if not cursor.fetchone()[0]:
            return
    with transaction.atomic(using=using):
        _empty_fts_table(database)


def _rebuild_fts_table():
    _empty_fts_table()
    count, last = 0, 0
    while True:
        # Keyset pages in id order: each costs the same however far into the archive.
        rows = _rows(Article.objects.filter(pk__gt=last).order_by("pk")[:INDEX_BATCH])
        if not rows:
            break
        _write(rows)
        count += len(rows)
        last = rows[-1][0]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO articles_search (articles_search) VALUES ('optimize')")
    return count


def _empty_fts_table(database=connection):
    """Drop the FTS5 table and make it again as the migration defined it.

    Deleting its rows would have FTS5 read and tokenize every old story to take its words out
    of the index: slower than the rebuild itself. Inside rebuild()'s transaction readers still
    search the old table until the new one commits.
    """
    with database.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'articles_search'")
        (definition,) = cursor.fetchone()
        cursor.execute("DROP TABLE articles_search")
        cursor.execute(definition)


@contextmanager
def deferred():
    """Within this block (in this thread) saves do not reindex; the stories they touched are
    indexed in bulk when it ends, even if it ends with an error. Yields the pending ids."""
    if _pending.get() is not None:  # already deferring: the outer block indexes
        yield _pending.get()
        return
    pending = set()
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
        index_articles(pending)


def _soon(ids):
    pending = _pending.get()
    if pending is None:
        index_articles(ids)
    else:
        pending.update(ids)


def _rows(articles, taggings=None):
    """(id, headline, standfirst, body text, tags) for each article, in id order: two queries.

    Without taggings, those of every article between the first id and the last are read.
    """
    fields = list(articles.values_list("pk", "headline", "standfirst", "body"))
    if not fields:
        return []
    if taggings is None:
        taggings = ArticleTag.objects.filter(
            content_object__gte=fields[0][0], content_object__lte=fields[-1][0]
        )
    tags = defaultdict(list)
    for article_id, name in taggings.order_by("tag__name").values_list("content_object_id", "tag__name"):
        tags[article_id].append(name)
    return [(pk, head, stand, body_text(body), " ".join(tags[pk])) for pk, head, stand, body in fields]


def _write(rows):
    """A batch's FTS5 rows, in one statement."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO articles_search (rowid, headline, standfirst, body, tags) VALUES (%s, %s, %s, %s, %s)",
                rows,
            )


# --- Signal receivers (connected in ArticlesConfig.ready) -------------------------------------


def article_saved(sender, instance, **kwargs):
    _soon([instance.pk])


def article_deleted(sender, instance, **kwargs):
    _soon([instance.pk])


def tagging_changed(sender, instance, **kwargs):
    """A tag was added to or removed from an article: reindex it."""
    _soon([instance.content_object_id])


def tag_saved(sender, instance, created=False, **kwargs):
    """A renamed tag changes the text of every article that carries it."""
    if created:
        return
    _soon(Article.objects.filter(tags=instance).values_list("pk", flat=True))


# --- Querying -------------------------------------------------------------------------------


def candidate_count():
    return most_listed(RESULTS_PAGE_SIZE) + 1


def search(query_string):
    """Published articles matching the reader's words, most relevant first, then newest.

    Only the newest candidate_count() matches are ranked (on SQLite, the most recently added,
    which FTS5 finds without reading the rest), so a search costs the same however large the
    archive grows. Any text is safe: it is never parsed as query syntax that could raise. The
    result (a RankedArticles, or a queryset on other databases) can be counted and sliced by a
    paginator: one query ranks every candidate, and each page costs two more.
    """
    text = " ".join((query_string or "").replace("\x00", "").split())
    if not text:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        return RankedArticles(_ranked_on_postgresql, websearch_text(text))
    if connection.vendor == "sqlite":
        return RankedArticles(_ranked_on_sqlite, fts5_query(text))
    return search_plainly(text)


# Hyphens with nothing but spaces or punctuation between them ("--", "- -", "-!-"): in web-search
# syntax each is a NOT of what follows, and PostgreSQL refuses a query with more than 32 of them
# in a row ("tsquery stack too small").
_NOT_RUN = re.compile(r'-(?:[^\w"]*-)+')


def websearch_text(text):
    """The reader's words for websearch_to_tsquery, with each run of NOTs cut to what it means:
    one NOT if it holds an odd number of hyphens, none if even. A hyphen inside a word
    ("rent-strike") is no NOT and stays."""
    return _NOT_RUN.sub(lambda run: "-" if run.group().count("-") % 2 else " ", text)


def _ranked_on_postgresql(text):
    """The newest matches with their ts_rank, in one query, then put in order here.

    Django cannot order the slice it has just taken, and ranking in a second query made
    PostgreSQL find the matches twice (once more for the paginator's count). The rows come
    newest first and Python's sort is stable, so equally ranked stories stay newest first.
    """
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    newest = (
        Article.objects.published()
        .filter(search_entry__vector=query)
        .order_by("-published_at", "-id")
        .annotate(rank=SearchRank(F("search_entry__vector"), query))
        .values_list("pk", "rank")[: candidate_count()]
    )
    return [pk for pk, _ in sorted(newest, key=lambda row: -row[1])]


def _ranked_on_sqlite(match):
    """The newest matches, in tiers (FTS_TIERS), newest first within each, in one query.

    FTS5 walks its matches newest rowid first and stops at the limit. Each tier is one more
    match, restricted by a column filter and to the candidates' rowids, which stops as early:
    the query costs the same at 10,000 stories as at 100,000, where bm25() grew with every row
    holding a word (docs/performance.md, "A big archive").
    """
    # published() is compiled into the query, so what readers may see is defined once.
    published, params = (
        Article.objects.published().order_by().values("id", "published_at").query.sql_with_params()
    )
    in_tier = (
        "(article.id IN (SELECT rowid FROM articles_search WHERE articles_search MATCH %s "
        "AND rowid >= (SELECT min(rowid) FROM hit)))"
    )
    tiers = " + ".join([in_tier] * len(FTS_TIERS))
    sql = (
        "WITH hit AS (SELECT rowid FROM articles_search WHERE articles_search MATCH %s "  # noqa: S608 (ORM-compiled SQL and constants only)
        "ORDER BY rowid DESC LIMIT %s) "
        f"SELECT article.id FROM hit JOIN ({published}) AS article ON article.id = hit.rowid "
        f"ORDER BY {tiers} DESC, article.published_at DESC, article.id DESC"
    )
    # A story in a better tier is in every tier after it too: the count of tiers orders them.
    filters = [f"{columns}: ({match})" for columns in FTS_TIERS]
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, candidate_count(), *params, *filters])
        return [row[0] for row in cursor.fetchall()]


def fts5_query(text):
    """Every word as a quoted FTS5 string (quotes doubled), so nothing is an operator.

    FTS5 ANDs the strings, and one that holds no word at all ("!!!") is simply ignored.
    """
    return " ".join('"{}"'.format(term.replace('"', '""')) for term in text.split())
