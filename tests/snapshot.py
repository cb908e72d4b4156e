"""A fingerprint of database tables, so that a test can say "nothing was written".

Two snapshots differ when any row was added, removed or changed. The access matrix takes
every table Django knows (sign-in throttling and two-factor devices too); the property
tests take the product's apps without the access log, whose row for a form shown again is
required (docs/architecture.md, "Privacy in one place").
"""

import hashlib

from django.apps import apps
from django.db import connection

from pps.backup import product_apps


def _tables(models, leave_out) -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in models
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in leave_out
            # The working-day calendar (pps.models.CalendarDay): 13,000 rows written by
            # migrate, never by a request; hashing it on every snapshot doubled the suite.
            and not getattr(model, "REBUILT_AT_MIGRATE", False)
        }
    )


def every_table(*, leave_out=frozenset({"sessions.session"})) -> list[str]:
    """Every table Django knows, history and many-to-many tables too (sessions left out)."""
    return _tables(apps.get_models(include_auto_created=True), leave_out)


def product_tables(*, leave_out=frozenset()) -> list[str]:
    models = [
        model
        for label in product_apps()
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return _tables(models, leave_out)


def take(tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its rows, in a stable order."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One query for every table. The names come from the models' metadata, never
            # from input.
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{table}', count(*), "  # noqa: S608
                    "md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "
                    f"FROM {quote(table)} t"
                    for table in tables
                )
            )
            return {table: (count, digest) for table, count, digest in cursor.fetchall()}
        # SQLite (the fallback of the test command): a table at a time, hashed here.
        found = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            found[table] = (len(rows), hashlib.md5("\n".join(rows).encode()).hexdigest())  # noqa: S324
        return found


def changed(before: dict, after: dict) -> dict[str, str]:
    """The tables that differ, with how (for a failure message)."""
    differences = {}
    for table in sorted(before.keys() | after.keys()):
        old, new = before.get(table), after.get(table)
        if old != new:
            same_count = old and new and old[0] == new[0]
            differences[table] = (
                "a row changed" if same_count else f"{old and old[0]} -> {new and new[0]} rows"
            )
    return differences
