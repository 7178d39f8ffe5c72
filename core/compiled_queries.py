"""Querysets turned into SQL once per process, then run again with new values.

Django builds a queryset and compiles it to SQL every time one is evaluated. On an uncached
article page that was a third of the CPU the request cost, several times what the database
spent answering: each of its eight queries took 0.3-1.4 ms to build and compile, for a tenth
of that to run. A page that is not in the page cache has to be fast too (a spike empties the
cache exactly when it matters), so its hot queries are declared once as a CompiledQuery:

    article_by_slug = CompiledQuery(lambda slug, now: Article.objects.published(now).filter(slug=slug))
    found = article_by_slug.list(slug="budget-vote", now=timezone.now())

The first use builds the queryset and compiles it once with the values given and once more
for each value changed, to learn which SQL parameter carries which value. Later uses put the
new values in those places and hand the SQL to Django's own iterable, so rows become model
instances exactly as the queryset would make them (select_related, deferred fields and all).
Nothing is cached but SQL text: every call reads the database.

Only plain values may vary: numbers, strings, dates and times. A query whose SQL changes with
its values (a list of varying length, a value that may be None) is refused with an error the
first time it is compiled, or, for a value of another type than before, run the ordinary way.

The trick leans on Django's private internals, so it can be turned off: with the setting
COMPILED_QUERIES off (environment COMPILED_QUERIES=0) every query is built and run as its plain
queryset, read at each call, and tests/test_compiled_queries_differential.py holds the two ways
to the same answers. Every CompiledQuery and CompiledForIds made is listed in DECLARED.
"""

import copy
import datetime
import itertools
import re

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver

ONE_SECOND = datetime.timedelta(seconds=1)
# Every compiled query declared, in the order made: the differential test runs each both ways.
DECLARED = []


def compiling():
    """Whether compiled queries are on (settings.COMPILED_QUERIES), read at each call."""
    return settings.COMPILED_QUERIES


@receiver(setting_changed)
def forget_compiled_sql(setting, **kwargs):
    """The SQL is per database alias and dialect: another DATABASES means compiling again."""
    if setting == "DATABASES":
        for query in DECLARED:
            query.forget()


def _changed(value):
    """Another value of the same type, to see where a value lands among the SQL parameters."""
    if isinstance(value, bool):
        raise ImproperlyConfigured("A CompiledQuery cannot vary a boolean; fix it in the query.")
    if isinstance(value, int):
        # Negative, so never equal to another id in the same query (an IN list drops repeats).
        return -value - 1
    if isinstance(value, float):
        return -value - 1.5
    if isinstance(value, str):
        return value + "~"
    if isinstance(value, datetime.datetime | datetime.date):
        return value + ONE_SECOND if isinstance(value, datetime.datetime) else value + datetime.timedelta(1)
    raise ImproperlyConfigured(f"A CompiledQuery cannot vary a {type(value).__name__}.")


class _Compiled:
    """One query compiled for one database: its SQL, parameters and the compiler that made them."""

    def __init__(self, queryset, compiler, sql, params, slots, types):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.slots = slots  # [(index in params, name, adapt)]
        self.types = types  # {name: type of the value compiled}
        self.named_sql = _named_placeholders(sql)
        self._converters = (None, None)  # (connection, what turns its columns into values)

    def converters(self, connection, compiler):
        """The compiler's column converters, worked out once per connection (once a thread)."""
        made_for, converters = self._converters
        if made_for is not connection:
            converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
            self._converters = (connection, converters)
        return converters

    def bind(self, values):
        params = list(self.params)
        for index, name, adapt in self.slots:
            params[index] = adapt(values[name])
        return params

    def bind_named(self, values):
        return {f"p{index}": value for index, value in enumerate(self.bind(values))}


class _BoundQuery:
    """Stands in for the Query of a queryset being evaluated: hands out the compiled SQL."""

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class CompiledQuery:
    def __init__(self, build, *, declared=True):
        self.build = build
        self._compiled = {}  # database alias: _Compiled
        if declared:
            DECLARED.append(self)

    def forget(self):
        self._compiled.clear()

    def list(self, using=DEFAULT_DB_ALIAS, **values):
        """The query's results for these values, as a list of what the queryset yields."""
        if not compiling():
            return list(self.build(**values).using(using))
        compiled = self._compiled.get(using)
        if compiled is None:
            try:
                compiled = self._compiled[using] = self._compile(using, values)
            except EmptyResultSet:
                # A query that can match nothing (an empty slice) has no SQL: the queryset
                # answers [] without asking the database, and so does this.
                return list(self.build(**values).using(using))
        if any(type(values[name]) is not kind for name, kind in compiled.types.items()):
            return list(self.build(**values).using(using))
        return self._run(compiled, using, values)

    def sql(self, using=DEFAULT_DB_ALIAS, **values):
        """The SQL and parameters for these values, to use inside hand-written SQL.

        Its placeholders are named (%(p0)s, %(p1)s...) and the parameters a dict: see
        _named_placeholders. Other names in the same statement must not start with "p".
        """
        if not compiling():
            sql, params = self.build(**values).query.get_compiler(using=using).as_sql()
            return _named_placeholders(sql), {f"p{i}": value for i, value in enumerate(params)}
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using, values)
        return compiled.named_sql, compiled.bind_named(values)

    def _run(self, compiled, using, values):
        compiler = copy.copy(compiled.compiler)
        # Connections belong to a thread; the compiled form may have been made in another.
        compiler.connection = connection = connections[using]
        sql, params = compiled.named_sql, compiled.bind_named(values)
        converters = compiled.converters(connection, compiler)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        compiler.get_converters = lambda expressions: converters
        # A shallow copy, not _chain(): the query is only read from here on, and cloning it
        # cost as much as the rest of this. (Not copy.copy either: a QuerySet pickles itself
        # for that, which evaluates it.)
        original = compiled.queryset
        queryset = object.__new__(type(original))
        queryset.__dict__.update(original.__dict__)
        queryset._result_cache = None
        queryset._prefetch_done = False
        queryset._query = _BoundQuery(original.query, compiler)
        return list(queryset)

    def _compile(self, using, values):
        connection = connections[using]
        queryset = self.build(**values).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for name, value in values.items():
            other = self.build(**{**values, name: _changed(value)}).using(using)
            other_sql, other_params = other.query.get_compiler(using=using).as_sql()
            if other_sql != sql or len(other_params) != len(params):
                raise ImproperlyConfigured(f"The SQL of this CompiledQuery changes with {name!r}.")
            places = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
            if not places:
                raise ImproperlyConfigured(f"{name!r} does not reach the SQL of this CompiledQuery.")
            adapt = _adapter(connection, value, params[places[0]], name)
            slots += [(index, name, adapt) for index in places]
        types = {name: type(value) for name, value in values.items()}
        return _Compiled(queryset, compiler, sql, params, slots, types)


def _adapter(connection, value, compiled, name):
    """How a value becomes the parameter the compiler made of it: as it is, or as the database
    stores a date and time (SQLite keeps UTC text)."""
    if compiled == value and type(compiled) is type(value):
        return _same
    if isinstance(value, datetime.datetime):
        if compiled == connection.ops.adapt_datetimefield_value(value):
            return connection.ops.adapt_datetimefield_value
    elif isinstance(value, datetime.date) and compiled == connection.ops.adapt_datefield_value(value):
        return connection.ops.adapt_datefield_value
    raise ImproperlyConfigured(f"{name!r} is changed on its way into the SQL; pass it as the query uses it.")


def _same(value):
    return value


# Django's SQLite backend turns each "%s" into "?" with this regular expression on every
# execution, scanning the whole statement: with named placeholders it uses Python's %
# formatting instead, several times faster, and PostgreSQL's driver takes them as they are.
FORMAT_PLACEHOLDER = re.compile(r"(?<!%)%s")


def _named_placeholders(sql):
    numbers = itertools.count()
    return FORMAT_PLACEHOLDER.sub(lambda match: f"%(p{next(numbers)})s", sql)


class CompiledForIds:
    """A CompiledQuery for each length of a list of ids, built by ``build(ids, **values)``.

    An IN list's SQL has a placeholder per id, so each length is its own query. Lists longer
    than MAX_IDS (none of a reader page's) are run the ordinary way.
    """

    MAX_IDS = 100

    def __init__(self, build):
        self.build = build
        self._by_count = {}
        DECLARED.append(self)

    def forget(self):
        self._by_count.clear()

    def list(self, ids, using=DEFAULT_DB_ALIAS, **values):
        ids = list(dict.fromkeys(ids))
        if not ids:
            return []
        if len(ids) > self.MAX_IDS or not compiling():
            return list(self.build(ids, **values).using(using))
        query = self._by_count.get(len(ids))
        if query is None:
            query = self._by_count.setdefault(
                len(ids), CompiledQuery(self._builder(len(ids)), declared=False)
            )
        return query.list(using=using, **{f"id{i}": pk for i, pk in enumerate(ids)}, **values)

    def _builder(self, count):
        names = [f"id{i}" for i in range(count)]

        def build(**values):
            ids = [values.pop(name) for name in names]
            return self.build(ids, **values)

        return build
