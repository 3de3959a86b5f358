"""Querysets built and compiled once per worker, run many times with new values.

Building a queryset (filter(), annotate(), union()…) and compiling it to SQL cost a
reader page several times what running its queries does: for an article's page at a
million articles, 1.4 ms to build its related news against 0.06 ms to run them, and
the article's own query, with its category path, video and live coverage joined, more
to compile than to run. A `PreparedQuery` builds its queryset through the ORM, with the
project's queryset methods, once per worker, database and edition, and keeps Django's
compiler of it; each call runs the same SQL with the call's values through Django's
own ModelIterable, so the instances are what iterating the queryset would give,
`select_related()` objects and annotations included.

Not for `prefetch_related()` (a prefetch builds its own queries at every run: see
`give_prefetched`), nor for values that change the SQL's shape (a LIMIT, a list's
length): both are refused when the query is first compiled.

Compiling needs no database connection: `compile_everywhere()` compiles every query
made so far where the application is loaded (core.warmup), so that with gunicorn's
`preload_app` each worker, a recycled one too, is forked with them compiled.
"""

import copy
import datetime
import threading
import weakref
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models.query import ModelIterable
from django.utils import translation

from core import editions

# Every PreparedQuery made, for compile_everywhere().
_made = weakref.WeakSet()


@dataclass(frozen=True)
class _Compiled:
    compiler: object  # Django's SQLCompiler of the build, after as_sql()
    sql: str
    params: tuple
    places: dict  # value name -> positions of its parameters
    # Per connection (the backend's converters are its methods): {column: converters}.
    converters: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)


class PreparedQuery:
    """`build(**values)`, a queryset of `model`, compiled once per database and edition,
    run with new `values`; a call returns the list of instances.

    `examples` gives each value two distinct examples of its type. The build is compiled
    with the first ones, then once per value with its second one: the parameters that
    change are that value's places in the SQL, which calls fill with their own.
    """

    def __init__(self, model, build, **examples):
        self.model = model
        self.build = build
        self.examples = examples
        self._compiled = {}
        self._lock = threading.Lock()
        _made.add(self)

    def __call__(self, **values):
        connection, compiled, params = self._filled(values)
        # A copy per call, on this thread's connection, answering the kept SQL with the
        # kept converters of its columns (working them out cost as much as a query).
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        converters = compiled.converters.get(connection)
        if converters is None:
            columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
            converters = compiled.converters[connection] = compiler.get_converters(columns)
        compiler.get_converters = lambda expressions: converters
        return list(ModelIterable(_CompiledQuerySet(self.model, connection.alias, compiler)))

    def _filled(self, values):
        """(connection, compiled build, its parameters with `values` in their places)."""
        if values.keys() != self.examples.keys():
            raise TypeError(f"expected the values {sorted(self.examples)}, got {sorted(values)}")
        alias = router.db_for_read(self.model)
        compiled = self._compiled_for(alias, translation.get_language())
        connection = connections[alias]
        params = list(compiled.params)
        for name, positions in compiled.places.items():
            value = _db_value(values[name], connection)
            for position in positions:
                params[position] = value
        return connection, compiled, params

    def _compiled_for(self, alias, code):
        key = (alias, code)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                try:
                    compiled = self._compiled.get(key) or self._compile(alias)
                except Exception:
                    _made.discard(self)  # refused: compile_everywhere() is not to raise it
                    raise
                self._compiled[key] = compiled
        return compiled

    def _compile(self, alias):
        connection = connections[alias]

        def compile_with(values):
            queryset = self.build(**values)
            if queryset._prefetch_related_lookups:
                raise ValueError("a prepared query cannot prefetch: see give_prefetched()")
            compiler = queryset.query.get_compiler(using=alias)
            return compiler, *compiler.as_sql()

        base = {name: first for name, (first, _second) in self.examples.items()}
        compiler, sql, params = compile_with(base)
        if compile_with(base)[1:] != (sql, params):
            # Such as a time read from the clock inside the build: it would stay fixed.
            raise ValueError("the SQL changes between two builds with the same values")
        places = {}
        for name, (first, second) in self.examples.items():
            _other, other_sql, other_params = compile_with({**base, name: second})
            if other_sql != sql or len(other_params) != len(params):
                raise ValueError(f"the SQL's shape depends on the value {name!r}")
            pairs = enumerate(zip(params, other_params, strict=True))
            places[name] = [i for i, (a, b) in pairs if a != b]
            if not places[name]:
                raise ValueError(f"the value {name!r} is not a parameter of the SQL")
            # A parameter computed from the value (pk + 1) would be filled with the value.
            expected = (_db_value(first, connection), _db_value(second, connection))
            if any((params[i], other_params[i]) != expected for i in places[name]):
                raise ValueError(f"the SQL holds a parameter computed from the value {name!r}")
        return _Compiled(compiler, sql, tuple(params), places)


def compile_everywhere():
    """Compile every PreparedQuery made so far, for every database and edition: what a
    worker's first page in each edition would otherwise do (measured at a million
    articles: 0.9 s in all, 7–25 ms per query and edition), with requests queued
    behind it after every recycling of the worker."""
    for query in list(_made):
        for alias in connections:
            for code in editions.CODES:
                with translation.override(code):
                    query._compiled_for(alias, code)


class PreparedCount(PreparedQuery):
    """How many rows `build(**values)` selects (a slice of it caps the count), compiled
    once as a PreparedQuery's build is: counting a queryset compiles it at every call."""

    def __call__(self, **values):
        connection, compiled, params = self._filled(values)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({compiled.sql}) AS counted", params)
            return cursor.fetchone()[0]


class _CompiledQuerySet:
    """What Django's ModelIterable reads of a queryset, answered with a compiler."""

    _known_related_objects = {}

    def __init__(self, model, alias, compiler):
        self.model = model
        self.db = alias
        self.query = self
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


def _db_value(value, connection):
    """`value` as the ORM passes it to this database's driver."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def give_prefetched(instance, relation, objects):
    """Make `instance.<relation>.all()` answer `objects`, as after prefetch_related(): how
    a PreparedQuery's results stand in for a prefetch, which is built at every run."""
    model = instance._meta.get_field(relation).related_model
    answer = model._default_manager.get_queryset()
    answer._result_cache = list(objects)
    answer._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation] = answer
