"""Figures for every service in scope and every period asked for, in one query each.

A report function reads its rows once, over the span of its periods, grouped by service in
the database; each figure of each period is an aggregate with its own FILTER (docs/
decisions/0014-report-queries-by-service-and-period.md). So the network report's 150
services and the annual report's 36 months cost the same handful of queries as one service
and one year, and a query reads only the rows of its periods, through the (service, day)
indexes. Where one row would meet dozens of such filters (the annual report's 36 months
and their years), a figure may instead group its rows by service and month once and sum
the months into each period (reports.queries.casework.pending_monthly_contact_figures, over
`grouped_rows`). The services are those of the django-scopes scope
(pps.access.service_scope, or `scope(service=[...])` for several), so a report can never
count another service's rows.

A figure is first a `Pending` query (its grouped SQL, compiled by the ORM from the scoped
managers, and how to read its rows): `.run()` runs it alone; `together(...)` runs several
in one round trip, as one UNION ALL whose arms each fill their own columns, so a page that
shows five figures makes one query for them. Building and compiling a query costs the ORM
1-3 ms, more than the database takes for a small figure, so the builders are
`compiled_once`: the SQL of the same inputs in the same scope is compiled once and run
afresh each time (docs/decisions/0017-report-queries-compiled-once-and-run-together.md).
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Aggregate, F, QuerySet
from django.utils import timezone
from django_scopes import get_scope

from reports.periods import Period, distinct_periods

Figures = TypeVar("Figures")
Result = TypeVar("Result")
ByServiceAndPeriod = dict[tuple[int, Period], Figures]


def services_in_scope() -> tuple[int, ...] | None:
    """The services the current scope lets a query read; None when scoping is switched off
    (a management command or a benchmark): then every service found in the rows."""
    current = get_scope()
    if not current.get("_enabled", False):
        return None
    services = current.get("service")
    if services is None:
        return None
    return tuple(services) if isinstance(services, list | tuple | set) else (services,)


@dataclass
class _Grouped:
    """One GROUP BY service query, not yet run: its SQL selects `row_service` and the
    columns `v0`, `v1`... of `names` ((period index, figure name) each), in that order."""

    sql: str
    params: list
    names: list[tuple[int, str]]
    periods: tuple[Period, ...]
    services: tuple[int, ...] | None
    types: list[str]  # each column's SQL type, for the NULLs of the other arms
    convert: Callable[[list], list] | None = None

    def figures(self, found: dict[int, list]) -> dict[tuple[int, Period], dict]:
        """{(service id, period): {name: value}} for every service in scope (every one
        found when scoping is off), an empty aggregate counting as 0."""
        figures = {}
        for service in found if self.services is None else self.services:
            values = found.get(service)
            for period in self.periods:
                figures[service, period] = {}
            for position, (index, name) in enumerate(self.names):
                value = values[position] if values else None
                figures[service, self.periods[index]][name] = value or 0
        return figures


class Pending(Generic[Result]):
    """A report figure's query, compiled but not run: `run()` runs it, `together()` runs
    several in one round trip; `finish` turns the grouped figures of its parts into the
    figure's own result."""

    def __init__(self, parts: Sequence[_Grouped], finish: Callable[..., Result]):
        self.parts = tuple(parts)
        self.finish = finish
        self._union: _Union | None = None

    @property
    def union(self) -> "_Union":
        """The SQL of its parts in one query, written once (a Pending is kept by
        compiled_once)."""
        if self._union is None:
            self._union = _Union(self.parts)
        return self._union

    def then(self, step: Callable[[Result], Any]) -> "Pending":
        """The same query, its result passed on through `step`."""
        return Pending(self.parts, lambda *figures: step(self.finish(*figures)))

    def run(self) -> Result:
        return together(self)[0]


class _Union:
    """The grouped queries of several parts as one UNION ALL: each arm tagged with its
    part's number. A database matches a UNION's column types arm by arm, so the arms
    share columns by type: an arm's k-th column of a type goes in that type's k-th shared
    column, and an arm selects a NULL of the column's type where it has nothing. The
    result is as wide as the widest arm of each type, not the sum of every arm's columns:
    planning a UNION costs more with every column each arm carries (a dashboard's six
    arms of 10-45 columns took twice as long to plan padded to each other's width as
    alone). One part is run as it is."""

    def __init__(self, parts: Sequence[_Grouped]):
        self.parts = parts
        self.tagged = len(parts) > 1
        # Each arm's columns, by position in the shared columns.
        self.positions: list[list[int]] = []
        shared: dict[tuple[str, int], int] = {}
        for part in parts:
            of_type: dict[str, int] = {}
            positions = []
            for kind in part.types:
                key = (kind, of_type.get(kind, 0))
                of_type[kind] = key[1] + 1
                positions.append(shared.setdefault(key, len(shared)))
            self.positions.append(positions)
        nulls = [f"CAST(NULL AS {kind})" for kind, _ in shared]
        arms, params = [], []
        for number, (part, positions) in enumerate(zip(parts, self.positions, strict=True)):
            columns = list(nulls) if self.tagged else [""] * len(positions)
            for i, position in enumerate(positions):
                columns[position if self.tagged else i] = f"g.v{i}"
            selected = [f"{number} AS part"] if self.tagged else []
            selected += ["g.row_service", *columns]
            arms.append(f"SELECT {', '.join(selected)} FROM ({part.sql}) g")  # noqa: S608
            params += part.params
        self.sql = " UNION ALL ".join(arms)
        self.params = params

    def run(self) -> list[dict]:
        """Each part's grouped figures ({(service id, period): {name: value}})."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        found: list[dict[int, list]] = [{} for _ in self.parts]
        for row in rows:
            if self.tagged:
                number, service = row[0], row[1]
                values = [row[2 + position] for position in self.positions[number]]
            else:
                number, service, values = 0, row[0], list(row[1:])
            convert = self.parts[number].convert
            found[number][service] = convert(values) if convert else values
        return [part.figures(figures) for part, figures in zip(self.parts, found, strict=True)]


def _finished(pending: Sequence[Pending], figures: Sequence) -> list:
    """Each pending figure's result from the grouped figures of all their parts, in order."""
    results, position = [], 0
    for each in pending:
        count = len(each.parts)
        results.append(each.finish(*figures[position : position + count]))
        position += count
    return results


def together(*pending: Pending) -> list:
    """Run the queries of every pending figure in one round trip (_Union): the results
    in order."""
    if len(pending) == 1:
        union = pending[0].union
    else:
        union = _Union([part for each in pending for part in each.parts])
    return _finished(pending, union.run())


def joined(*pending: Pending) -> Pending:
    """Several pending figures as one, not yet run (its parts run in one round trip with
    whatever it is run with): its result is the list of their results, in order."""
    return Pending(
        [part for each in pending for part in each.parts],
        lambda *figures: _finished(pending, figures),
    )


_compiled = threading.local()
COMPILED_KEPT = 512  # queries kept per thread, the least recently used dropped first


def _scope_key() -> tuple:
    return tuple(
        (name, tuple(value) if isinstance(value, list | tuple | set) else value)
        for name, value in sorted(get_scope().items())
    )


def _hashable(value):
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else value


def compiled_once(build: Callable[..., Result]) -> Callable[..., Result]:
    """Keep what `build` returns (SQL compiled by the ORM, never figures) for the same
    arguments in the same django-scopes scope, database and time zone: the scope is part
    of the key, so the SQL run is the one the scoped managers wrote for that scope, and
    the figures are read from the database on every call. Kept per thread (a connection
    is), at most COMPILED_KEPT queries. `build` must depend on nothing but its arguments,
    the scope and the settings: no value read from the database may go into its SQL."""

    @functools.wraps(build)
    def cached(*args, **kwargs):
        key = (
            build.__module__,
            build.__qualname__,
            tuple(_hashable(arg) for arg in args),
            tuple((name, _hashable(value)) for name, value in sorted(kwargs.items())),
            _scope_key(),
            connection.alias,
            connection.vendor,
            timezone.get_default_timezone_name(),
        )
        kept = getattr(_compiled, "queries", None)
        if kept is None:
            kept = _compiled.queries = OrderedDict()
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        value = kept[key] = build(*args, **kwargs)
        if len(kept) > COMPILED_KEPT:
            kept.popitem(last=False)
        return value

    return cached


def _periods_and_names(periods, aggregates):
    periods = distinct_periods(periods)
    names, selected = [], []
    for index, period in enumerate(periods):
        for name, aggregate in aggregates(period).items():
            names.append((index, name))
            selected.append(aggregate)
    return periods, names, selected


def grouped(
    queryset: QuerySet,
    periods: Iterable[Period],
    aggregates: Callable[[Period], Mapping[str, Aggregate]],
    service_field: str = "service",
) -> _Grouped:
    """The ORM's GROUP BY service query of `queryset` (a scoped queryset): for each period
    the aggregates `aggregates(period)`. Values are read through the ORM's own converters
    (a decimal sum on SQLite is a Decimal, as from the ORM)."""
    periods, names, selected = _periods_and_names(periods, aggregates)
    rows = (
        queryset.order_by()
        .values(row_service=F(service_field))
        .annotate(**{f"v{i}": aggregate for i, aggregate in enumerate(selected)})
    )
    compiler = rows.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    by_alias = {alias: expression for expression, _, alias in compiler.select}
    expressions = [by_alias[f"v{i}"] for i in range(len(names))]
    converters = compiler.get_converters(expressions)
    # The type without its size: numeric(6, 2) for a sum of hours is numeric.
    types = [e.output_field.cast_db_type(connection).split("(")[0] for e in expressions]

    return _Grouped(
        sql, list(params), names, periods, services_in_scope(), types, _converter(converters)
    )


def grouped_rows(
    rows: QuerySet,
    periods: Iterable[Period],
    aggregates: Callable[[Period], Mapping[str, tuple[str, list]]],
    *,
    joins: str = "",
    joins_params: Sequence = (),
    service: str = "row_service",
    kind: str = "bigint",
) -> _Grouped:
    """Like `grouped`, over rows the ORM cannot aggregate itself (a window function's, or
    a join on a day): `rows` is a scoped queryset of values whose first column is the
    service, read as the derived table `a`; `joins` may join more tables to it; each
    aggregate is SQL over them with its parameters. The service column of `rows` is named
    `service` (annotated under a name of the caller's); every aggregate is of SQL type
    `kind` (counts are bigint). The SQL around the ORM's own query formats in only column
    and table names written here; values are parameters."""
    periods, names, selected = _periods_and_names(periods, aggregates)
    inner, inner_params = rows.query.sql_with_params()
    params = [param for _, sql_params in selected for param in sql_params]
    columns = ", ".join(f"{sql} AS v{i}" for i, (sql, _) in enumerate(selected))
    sql = (
        f"SELECT a.{service} AS row_service, {columns} FROM ({inner}) a {joins}"  # noqa: S608
        f" GROUP BY a.{service}"
    )
    return _Grouped(
        sql,
        [*params, *inner_params, *joins_params],
        names,
        periods,
        services_in_scope(),
        [kind] * len(names),
    )


def _converter(converters: dict) -> Callable[[list], list] | None:
    """The ORM's converters of a compiled query's columns ({position: (functions,
    expression)}), applied as its compiler does, without keeping the compiler (and its
    query) alive in compiled_once's cache."""
    if not converters:
        return None
    by_position = list(converters.items())

    def convert(values: list) -> list:
        for position, (functions, expression) in by_position:
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        return values

    return convert


@dataclass(frozen=True)
class CompiledValues:
    """A `.values()` queryset compiled by the ORM, to run again without building it: its
    rows as dicts, through the ORM's own converters."""

    sql: str
    params: tuple
    names: tuple[str, ...]
    convert: Callable[[list], list] | None

    def run(self) -> list[dict]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        convert = self.convert or list
        return [dict(zip(self.names, convert(list(row)), strict=True)) for row in rows]


def compiled_values(queryset: QuerySet) -> CompiledValues:
    """The SQL of a `.values(...)` queryset (fields, then annotations), to keep with
    `compiled_once`."""
    query = queryset.query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    converters = compiler.get_converters([column[0] for column in compiler.select])

    return CompiledValues(sql, tuple(params), names, _converter(converters))


def only_service(figures: ByServiceAndPeriod, period: Period, empty: Figures) -> Figures:
    """The figures of the one service in scope (`empty` when the scope holds none): what
    the single-service wrappers return, so their callers stay simple."""
    mine = [value for (_, of), value in figures.items() if of == period]
    if len(mine) > 1:
        raise ValueError("Several services in scope: use the function that returns each one's.")
    return mine[0] if mine else empty


def only_service_by_period(
    figures: ByServiceAndPeriod, periods: Sequence[Period], empty: Figures
) -> list[Figures]:
    """only_service for each of `periods`, in one pass over the figures (a year's twelve
    months: not twelve)."""
    services = {service for service, _ in figures}
    if len(services) > 1:
        raise ValueError("Several services in scope: use the function that returns each one's.")
    if not services:
        return [empty] * len(periods)
    (service,) = services
    return [figures.get((service, period), empty) for period in periods]
