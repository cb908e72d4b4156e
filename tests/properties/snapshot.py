"""A fingerprint of every table of the product's apps, history tables included.

Two snapshots differ when any row was added, removed or changed: "nothing was written"
is then `before == after`. The access log is left out on purpose: a form shown again after
a refused POST is a page of personal data, and its one log row is required
(docs/architecture.md, "Privacy in one place").
"""

from django.apps import apps
from django.db import connection

PRODUCT_APPS = ["pps", "casework", "volunteers", "evaluations", "quality", "reports"]
NOT_COMPARED = {"pps.accesslog"}


def product_tables() -> list[str]:
    tables = set()
    for label in PRODUCT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in NOT_COMPARED or not model._meta.managed:
                continue
            tables.add(model._meta.db_table)
    return sorted(tables)


def _query(tables: list[str]) -> str:
    quote = connection.ops.quote_name
    # One query for every table: a hash of each row's text, in a stable order. The names
    # come from the models' metadata, never from input.
    parts = [
        f"SELECT '{table}', count(*), "  # noqa: S608
        f"md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "
        f"FROM {quote(table)} t"
        for table in tables
    ]
    return " UNION ALL ".join(parts)


def take() -> dict[str, tuple[int, str]]:
    """Each product table's row count and content hash (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(_query(product_tables()))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def changed(before: dict, after: dict) -> dict[str, str]:
    """The tables that differ, with how (for the failure message)."""
    differences = {}
    for table in sorted(before.keys() | after.keys()):
        old, new = before.get(table), after.get(table)
        if old != new:
            same_count = old[0] == new[0]
            differences[table] = "a row changed" if same_count else f"{old[0]} -> {new[0]} rows"
    return differences
