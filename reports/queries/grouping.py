"""Figures for every service in scope and every period asked for, in one query each.

A report function reads its rows once, over the span of its periods, grouped by service in
the database; each figure of each period is an aggregate with its own FILTER (docs/
decisions/0014-report-queries-by-service-and-period.md). So the network report's 150
services and the annual report's 36 months cost the same handful of queries as one service
and one year, and a query reads only the rows of its periods, through the (service, day)
indexes. The services are those of the django-scopes scope (pps.access.service_scope, or
`scope(service=[...])` for several), so a report can never count another service's rows.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import Aggregate, QuerySet
from django_scopes import get_scope

from reports.periods import Period, distinct_periods

Figures = TypeVar("Figures")
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


def aggregate_by_service(
    queryset: QuerySet,
    periods: Iterable[Period],
    aggregates: Callable[[Period], Mapping[str, Aggregate]],
    service_field: str = "service",
) -> dict[tuple[int, Period], dict]:
    """One GROUP BY service query: for each period, the aggregates `aggregates(period)`.

    Returns {(service id, period): {name: value}} for every service in scope and every
    period, an empty aggregate counting as 0 (a service with no rows still has figures)."""
    periods = distinct_periods(periods)
    names: dict[str, tuple[int, str]] = {}
    annotations = {}
    for index, period in enumerate(periods):
        for name, aggregate in aggregates(period).items():
            alias = f"p{index}_{name}"
            names[alias] = (index, name)
            annotations[alias] = aggregate
    rows = queryset.order_by().values(service_field).annotate(**annotations)
    found = {row[service_field]: row for row in rows}
    services = services_in_scope()
    if services is None:
        services = tuple(found)
    figures = {}
    for service in services:
        row = found.get(service, {})
        values: list[dict] = [{} for _ in periods]
        for alias, (index, name) in names.items():
            values[index][name] = row.get(alias) or 0
        for index, period in enumerate(periods):
            figures[service, period] = values[index]
    return figures


def only_service(figures: ByServiceAndPeriod, period: Period, empty: Figures) -> Figures:
    """The figures of the one service in scope (`empty` when the scope holds none): what
    the single-service wrappers return, so their callers stay simple."""
    mine = [value for (_, of), value in figures.items() if of == period]
    if len(mine) > 1:
        raise ValueError("Several services in scope: use the function that returns each one's.")
    return mine[0] if mine else empty


def aggregate_rows_by_service(
    rows: QuerySet,
    periods: Iterable[Period],
    aggregates: Callable[[Period], Mapping[str, tuple[str, list]]],
    *,
    joins: str = "",
    joins_params: Sequence = (),
    service: str = "row_service",
) -> dict[tuple[int, Period], dict]:
    """Like aggregate_by_service, over rows the ORM cannot aggregate itself (a window
    function's, or a join on a day): `rows` is a scoped queryset of values whose first
    column is the service, read as the derived table `a`; `joins` may join more tables to
    it; each aggregate is SQL over them with its parameters. The service column of `rows`
    is named `service` (annotated under a name of the caller's). The SQL around the ORM's own
    query formats in only column and table names written here; values are parameters."""
    periods = distinct_periods(periods)
    inner, inner_params = rows.query.sql_with_params()
    selected, params, names = [], [], []
    for index, period in enumerate(periods):
        for name, (sql, sql_params) in aggregates(period).items():
            selected.append(sql)
            params += sql_params
            names.append((index, name))
    sql = (
        f"SELECT a.{service}, {', '.join(selected)} FROM ({inner}) a {joins}"  # noqa: S608
        f" GROUP BY a.{service}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params, *joins_params])
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    services = services_in_scope()
    figures = {}
    for service_id in found if services is None else services:
        values = found.get(service_id, ())
        for period in periods:
            figures[service_id, period] = {}
        for position, (index, name) in enumerate(names):
            value = values[position] if values else None
            figures[service_id, periods[index]][name] = value or 0
    return figures
