"""Queries of a fixed shape, built and compiled once per process (issue 11).

The case page's own queries (the case with its totals and code-list names, the short lists
beside it in one UNION ALL) cost PostgreSQL a tenth of a millisecond each, and the ORM five
to build and compile: most of the page's time went on writing the same SQL again for every
case. A `Prepared` query is built once per process from its function, with markers (large
negative integers no record has) standing for the values that change from one request to
the next: the record's key, the user's key and the service of the request's scope. Its SQL
is compiled once; each call puts the values in the markers' places among the parameters
and runs that SQL through the compiler made at the first call, so the rows come back as the
ORM gives them (models with their joined relations and annotations, or tuples), converted
for the database as usual.

Access stays where it is decided (docs/architecture.md, "Privacy in one place"): the build
function asks the access modules (`cases_visible_to(user)`), as any view does. To check
that the SQL depends on nothing but the markers, the query is built twice, with two sets of
markers and two made-up users of the same role, active, who differ in everything else they
hold (key, service, username, names, email): the two must give the same SQL, with
parameters that differ only where a marker stands. A query that reads the user's
username, names or email, or puts a value in the SQL text itself (a slice's LIMIT), fails
with ImproperlyConfigured at its first use; a value like that belongs in the key instead
(`keyed` arguments: one compiled query for each value, e.g. a page number). What both
builds share (the role, the day, the keyed values) is the key.

One compiled query is kept for each role, day (a volunteer's cases are today's
allocations), database and keyed value. Outside a single service's scope (scopes disabled
for the admin and for test code, or no service) the query is built and run as an ordinary
queryset instead; so it is for a marker's value that is no integer, or one past what a key
column holds (20 digits typed into a URL), which the ORM knows to match nothing.

On PostgreSQL the compiled SQL is also prepared on the server, once per connection
(`PREPARE`, then `EXECUTE` with the values): PostgreSQL planned the case page's main query
in about 1 ms and ran it in a third of that, so planning was most of the page's database
time. After five runs PostgreSQL keeps a generic plan when it costs no more than the
plans made for the values. A statement is prepared only if PostgreSQL gives each value
the type a query sent with that value in its text would have (an integer may not become
text, say); otherwise it runs as plain SQL. Prepared statements belong to a database
session, so a pooler that hands one session's statements to another (PgBouncer in
transaction mode) needs `PPS_PREPARE_ON_SERVER=false` (docs/operations.md).
"""

import copy
import datetime
import decimal
import itertools
import operator
import re
import threading
import weakref
from functools import partial

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import get_scope, scope

# Compiled queries kept by each Prepared: a few roles, a day, a handful of keyed values.
KEPT = 64

# The keys a column can hold: PostgreSQL's bigint, SQLite's integer.
_SMALLEST_KEY, _LARGEST_KEY = -(2**63), 2**63 - 1

# Each build draws its markers from here: far below any key a sequence gives.
_MARKERS = itertools.count(-1_900_000_001, -1)
_markers_lock = threading.Lock()


def _new_markers(names) -> dict[str, int]:
    with _markers_lock:
        return {name: next(_MARKERS) for name in names}


# Each compiled query's name for its prepared statement; unique in the process, and a
# connection belongs to one process.
_NAMES = itertools.count(1)

# The types PostgreSQL may give a value of each Python type for the statement to mean what
# the same SQL with the value in its text means, most particular type first (a bool is an
# int, a datetime a date; a TextChoices member is a str). A string in the text has no type
# until its place gives it one, as a parameter does; None is NULL, whatever the type.
_SAME_MEANING = (
    (bool, {"boolean"}),
    (int, {"smallint", "integer", "bigint", "numeric", "real", "double precision"}),
    (float, {"real", "double precision", "numeric"}),
    (decimal.Decimal, {"numeric", "real", "double precision"}),
    (datetime.datetime, {"timestamp with time zone", "timestamp without time zone"}),
    (datetime.date, {"date", "timestamp with time zone", "timestamp without time zone"}),
)


def _same_meaning(value, type_name: str) -> bool:
    if value is None or isinstance(value, str):
        return True
    for kind, types in _SAME_MEANING:
        if isinstance(value, kind):
            return type_name in types
    return False


class _Statement:
    """A compiled query's prepared statement on PostgreSQL (module docstring)."""

    def __init__(self, sql: str, params: tuple):
        self.name = f"pps_prepared_{next(_NAMES)}"
        self.example = params
        # psycopg2 reads %s and %% only when it is given parameters: PREPARE is sent
        # without, so its placeholders are $1, $2... and a percent sign is itself.
        numbers = itertools.count(1)
        self.text = re.sub(
            r"%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql
        )
        # The EXECUTE carries the statement in a comment: a query log (Django's in
        # tests and with DEBUG, PostgreSQL's own) still shows what ran.
        values = f"({', '.join(['%s'] * len(params))})" if params else ""
        self.execute = f"EXECUTE {self.name}{values} /* {self.text.replace('%', '%%')} */"
        # False once PostgreSQL has typed a value otherwise than its SQL text would, or
        # refused the statement.
        self.usable = "*/" not in self.text and "/*" not in self.text

    def sql_on(self, connection) -> str | None:
        """The EXECUTE to send on this connection, preparing it first if need be; None
        where the query runs as plain SQL."""
        if not self.usable or connection.needs_rollback:
            return None
        raw = connection.connection
        state = connection.__dict__.get("_prepared_statements")
        if state is None or state[0] is not raw:
            # A new database session: nothing is prepared on it yet.
            state = connection.__dict__["_prepared_statements"] = (raw, set())
        if self.name not in state[1]:
            if not self._prepare(connection):
                return None
            state[1].add(self.name)
        return self.execute

    def _prepare(self, connection) -> bool:
        """PREPARE on the driver's own cursor, as a driver that prepares by itself
        would: it is no query of the page's, so a page's query count is the same on
        its first request and its thousandth. A statement stays prepared when the
        transaction around it is rolled back; a refused one must not break that
        transaction, so inside one it is prepared in a savepoint."""
        in_transaction = not connection.get_autocommit()
        # What fails outside the try below (a lost connection) reaches Django as its own
        # error, as any query's would, so the connection is then closed as unusable.
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            if in_transaction:
                cursor.execute("SAVEPOINT pps_prepare")
            try:
                cursor.execute(f"PREPARE {self.name} AS {self.text}")
                cursor.execute(
                    "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = %s",
                    [self.name],
                )
                types = cursor.fetchone()[0]
                if len(types) != len(self.example) or not all(
                    map(_same_meaning, self.example, types)
                ):
                    cursor.execute(f"DEALLOCATE {self.name}")
                    self.usable = False
            except connection.Database.Error:
                self.usable = False
                if in_transaction:
                    cursor.execute("ROLLBACK TO SAVEPOINT pps_prepare")
            if in_transaction:
                cursor.execute("RELEASE SAVEPOINT pps_prepare")
        return self.usable


class _Compiled:
    """A query compiled with markers: its SQL and parameters, where each marker stands,
    and the compiler that knows how to turn its rows into records."""

    def __init__(self, queryset, markers: dict[str, int]):
        self.queryset = queryset
        self.empty = False
        # Its prepared statements on PostgreSQL: the rows' (False) and their count's (True).
        self.statements: dict[bool, _Statement] = {}
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:
            self.empty = True
            return
        self.compiler = compiler
        # The columns the rows are converted for (as SQLCompiler.results_iter gives them).
        self.columns = tuple(column for column, *_ in compiler.select[: compiler.col_count])
        self.params = tuple(params)
        by_value = {value: name for name, value in markers.items()}
        self.places = tuple(
            (index, by_value[value])
            for index, value in enumerate(self.params)
            if type(value) is int and value in by_value
        )

    def same_as(self, other: "_Compiled") -> bool:
        """Whether the two builds differ only in their markers' values."""
        if self.empty or other.empty:
            return self.empty == other.empty
        if self.sql != other.sql or len(self.params) != len(other.params):
            return False
        if [name for _, name in self.places] != [name for _, name in other.places]:
            return False
        marked = {index for index, _ in self.places}
        return all(
            index in marked or mine == theirs
            for index, (mine, theirs) in enumerate(zip(self.params, other.params, strict=True))
        )

    def _params(self, values: dict[str, int]) -> list:
        params = list(self.params)
        for index, name in self.places:
            params[index] = values[name]
        return params

    def _sql_on(self, connection, counting: bool = False) -> str:
        """The SQL to send (an EXECUTE where it is prepared on the server)."""
        sql = self.count_sql if counting else self.sql
        if connection.vendor == "postgresql" and settings.PPS_PREPARE_ON_SERVER:
            statement = self.statements.get(counting)
            if statement is None:
                statement = self.statements[counting] = _Statement(sql, self.params)
            connection.ensure_connection()
            sql = statement.sql_on(connection) or sql
        return sql

    @property
    def count_sql(self) -> str:
        # As Django counts a query it cannot simplify: its rows, counted around it.
        return f"SELECT COUNT(*) FROM ({self.sql}) AS counted"  # noqa: S608 (the ORM's own SQL)

    def count(self, values: dict[str, int], using: str) -> int:
        if self.empty:
            return 0
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self._sql_on(connection, counting=True), self._params(values))
            return cursor.fetchone()[0]

    def run(self, values: dict[str, int], using: str) -> list:
        if self.empty:
            return []
        params = self._params(values)
        compiler = copy.copy(self.compiler)
        # This thread's connection, not the one of the thread that compiled it.
        connection = compiler.connection = connections[using]
        sql = self._sql_on(connection)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        compiler.get_converters = partial(self._converters, compiler)
        template = self.queryset
        queryset = QuerySet(model=template.model, query=_CompiledQuery(template.query, compiler))
        queryset._db = using
        queryset._iterable_class = template._iterable_class
        queryset._fields = template._fields
        # What the queryset prefetches is read as the ORM reads it, a query of its own
        # built for the rows found.
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        return list(queryset)

    def _converters(self, compiler, expressions) -> dict:
        """What `compiler.get_converters(expressions)` gives, worked out once for the
        query's columns on each connection instead of for every run: it asks the backend
        and every column's field, a twentieth of the case page. Kept on the connection
        (a thread's own), for as long as this compiled query is."""
        worked_out = type(compiler).get_converters
        if len(expressions) != len(self.columns) or not all(
            map(operator.is_, expressions, self.columns)
        ):
            return worked_out(compiler, expressions)
        connection = compiler.connection
        kept = connection.__dict__.get("pps_converters")
        if kept is None:
            kept = connection.__dict__["pps_converters"] = weakref.WeakKeyDictionary()
        converters = kept.get(self)
        if converters is None:
            converters = kept[self] = worked_out(compiler, expressions)
        return converters


class _CompiledQuery:
    """The query as the queryset's iterator sees it: its own attributes, but the prepared
    compiler."""

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class Prepared:
    """A query built by `build(user, **values)`, compiled once per process (module
    docstring). `markers` name the integer values that change between calls (a record's
    key); every other value is `keyed`: part of what the compiled query is kept under.

    `scoped=False` is for a query of records outside any service's scope (the signed-in
    user, read before the scope opens): it runs whatever the scope, and is refused if it
    reads a scoped model after all."""

    def __init__(self, build, *, markers: tuple[str, ...] = (), scoped: bool = True):
        self.build = build
        self.markers = markers
        self.scoped = scoped
        self._compiled: dict = {}
        self._lock = threading.Lock()
        _every.append(self)

    def rows(self, user, **values) -> list:
        """The query's rows for this user (None for an unscoped query read for no one)
        and these values, as list(queryset) gives them."""
        return self._answer(user, values, counting=False)

    def count(self, user, **values) -> int:
        """How many rows `rows` would give, counted by the database as
        `queryset.count()` counts them."""
        return self._answer(user, values, counting=True)

    def _answer(self, user, values: dict, counting: bool):
        service = None
        if self.scoped:
            current = get_scope()
            services = current.get("service")
            if (
                not current.get("_enabled")
                or not isinstance(services, list)
                or len(services) != 1
                or type(services[0]) is not int
            ):
                return _plainly(self.build(user, **values), counting)
            service = services[0]
        marked = {name: values.pop(name) for name in self.markers}
        if any(
            type(value) is not int or not _SMALLEST_KEY <= value <= _LARGEST_KEY
            for value in marked.values()
        ):
            # Not a key, or one no column can hold (a URL's /cases/<20 digits>/): the ORM
            # knows what such a value matches (nothing, for an exact look-up), where the
            # database would refuse the compiled SQL's parameter.
            return _plainly(self.build(user, **marked, **values), counting)
        key = (
            getattr(user, "role", None),
            timezone.localdate(),
            DEFAULT_DB_ALIAS,
            connections[DEFAULT_DB_ALIAS].vendor,
            tuple(sorted(values.items())),
        )
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(getattr(user, "role", None), values)
            with self._lock:
                if len(self._compiled) >= KEPT:
                    # Yesterday's queries, mostly: start again.
                    self._compiled.clear()
                self._compiled[key] = compiled
        answer = compiled.count if counting else compiled.run
        return answer(
            {**marked, "user": getattr(user, "pk", None), "service": service},
            using=DEFAULT_DB_ALIAS,
        )

    def _compile(self, role, values) -> _Compiled:
        builds = []
        for number in (1, 2):
            markers = _new_markers((*self.markers, "user", "service"))
            user = _made_up_user(role, markers, number)
            with scope(service=[markers["service"]]):
                queryset = self.build(
                    user, **{name: markers[name] for name in self.markers}, **values
                )
                builds.append(_Compiled(queryset, markers))
        if not self.scoped and any(name == "service" for _, name in builds[0].places):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: an unscoped query reads a scoped model."
            )
        if not builds[0].same_as(builds[1]):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: its SQL depends on more than its markers "
                f"({', '.join(self.markers) or 'none'}), the user's key and the service; "
                "make that value a keyed argument, or leave the query unprepared."
            )
        return builds[0]

    def forget(self):
        with self._lock:
            self._compiled.clear()


def _plainly(queryset, counting: bool):
    """The rows, or their count, of a query run as an ordinary queryset."""
    return queryset.count() if counting else list(queryset)


def _made_up_user(role, markers, number):
    # Imported here: pps.models imports the app registry's models.
    from pps.models import User

    return User(
        pk=markers["user"],
        service_id=markers["service"],
        role=role,
        username=f"prepared-{number}",
        first_name=f"Made-up {number}",
        last_name=f"User {number}",
        email=f"prepared-{number}@example.invalid",
        is_active=True,
    )


_every: list[Prepared] = []


def _forget_all(**_signal):
    for prepared in _every:
        prepared.forget()


setting_changed.connect(_forget_all)


class PreparedPages:
    """A list's first page, in whatever order it is sorted, as a Prepared query (issue 11).

    django-tables2 orders and slices the list's queryset for each request; building and
    compiling that query was a ninth of the case list's time. When nothing filters the list
    (pps.views.TableListView decides), the page's queryset is `build(user)` ordered and
    sliced, and `rows` runs the compiled one instead: keyed on the order and the slice,
    which the SQL text holds. Later pages, and an order that is not a list of field names,
    go through the ORM as before (None). So does the list's length, which the paginator
    asks for on every page: `count` runs the compiled `SELECT COUNT(*)` of the list's
    keys, where `queryset.count()` built and compiled its own each time."""

    # Rows per page and the pages served: the first, as most lists are opened.
    LARGEST_PAGE = 100

    def __init__(self, build):
        self.build = build
        self.prepared = Prepared(self._page)
        self.counted = Prepared(self._keys)

    def _page(self, user, order, high):
        return self.build(user).order_by(*order)[:high]

    def _keys(self, user):
        # What Django's count() counts: the rows, without their order or joined records.
        return self.build(user).select_related(None).order_by().values_list("pk")

    def count(self, user) -> int:
        """How many records the whole list holds (the paginator's count)."""
        return self.counted.count(user)

    def rows(self, user, sliced: QuerySet) -> list | None:
        """The records of `sliced` (the list's queryset, ordered and sliced by tables2), or
        None where the ORM is to read them."""
        query = sliced.query
        order = query.order_by
        if (
            query.low_mark != 0
            or query.high_mark is None
            or not 0 < query.high_mark <= self.LARGEST_PAGE
            or query.extra_order_by
            or not all(type(field) is str for field in order)
        ):
            return None
        return self.prepared.rows(user, order=tuple(order), high=query.high_mark)
