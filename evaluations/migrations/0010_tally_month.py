"""Evaluation tallies kept by month (evaluations.models.tally.TallyMonth), and the triggers
that keep them right: any change to a month's sendings, responses or answers, by whatever
path (an action, an import's bulk insert, a cascade, an anonymisation's bulk update), clears
that month's row in the same transaction; a change to a form's title or kind or to a question
clears every month of the service. The same triggers on PostgreSQL and SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

KEPT = "evaluations_tallymonth"
CLEAR = "counts = NULL, comments = NULL"

# Table: (how a row names its service and day sent, the columns whose change counts).
BY_MONTH = {
    "evaluations_sending": (
        "SELECT {row}.service_id, {month}, 1 WHERE TRUE",
        ("service_id", "version_id", "sent_on"),
    ),
    "evaluations_response": (
        "SELECT {row}.service_id, {month}, 1 WHERE TRUE",
        ("service_id", "version_id", "sent_on", "received_on"),
    ),
    # An answer's month is its response's (deleted after its answers, in a cascade).
    "evaluations_answer": (
        "SELECT service_id, {month}, 1 FROM evaluations_response WHERE id = {row}.response_id",
        ("service_id", "response_id", "question_id", "value", "publishable"),
    ),
}
# Tables whose words the kept rows carry: a change clears the whole service's months.
BY_SERVICE = {
    "evaluations_evaluationform": ("service_id", "kind", "title"),
    "evaluations_question": None,  # any change
}


def _month(vendor: str, day: str) -> str:
    if vendor == "postgresql":
        return f"CAST(date_trunc('month', {day}) AS date)"
    return f"date({day}, 'start of month')"


def _clear(vendor: str, table: str, row: str) -> str:
    """The statement that clears what one changed row (`row`: NEW or OLD) touches."""
    if table in BY_SERVICE:
        return (
            # Names from this module only, never input.
            f"UPDATE {KEPT} SET version = version + 1, {CLEAR} WHERE service_id = {row}.service_id;"  # noqa: S608
        )
    chosen, _ = BY_MONTH[table]
    day = f"{row}.sent_on" if table != "evaluations_answer" else "sent_on"
    # A month never counted gets its row now, so that a count running meanwhile cannot
    # store what it read before this change (evaluations.kept).
    return (
        f"INSERT INTO {KEPT} (service_id, month, version) "
        + chosen.format(row=row, month=_month(vendor, day))
        + f" ON CONFLICT (service_id, month) DO UPDATE SET version = {KEPT}.version + 1, {CLEAR};"
    )


def _columns(table: str):
    return BY_SERVICE[table] if table in BY_SERVICE else BY_MONTH[table][1]


def _create(vendor: str, table: str) -> list[str]:
    columns = _columns(table)
    name = f"{table}_tally"
    if vendor == "postgresql":
        when = ""
        if columns:
            old = ", ".join(f"OLD.{c}" for c in columns)
            new = ", ".join(f"NEW.{c}" for c in columns)
            when = f" WHEN (({old}) IS DISTINCT FROM ({new}))"
        return [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {_clear(vendor, table, 'OLD')} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_clear(vendor, table, 'NEW')} END IF; "
            "RETURN NULL; END $$;",
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}();",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} FOR EACH ROW{when} "
            f"EXECUTE FUNCTION {name}();",
        ]
    when = ""
    if columns:
        when = " WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} "
        f"BEGIN {_clear(vendor, table, 'NEW')} END;",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} FOR EACH ROW{when} "
        f"BEGIN {_clear(vendor, table, 'OLD')} {_clear(vendor, table, 'NEW')} END;",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} "
        f"BEGIN {_clear(vendor, table, 'OLD')} END;",
    ]


def _drop(vendor: str, table: str) -> list[str]:
    name = f"{table}_tally"
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name}_update ON {table};",
            f"DROP TRIGGER IF EXISTS {name} ON {table};",
            f"DROP FUNCTION IF EXISTS {name}();",
        ]
    return [f"DROP TRIGGER IF EXISTS {name}_{event};" for event in ("insert", "update", "delete")]


def _run(build):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in (*BY_MONTH, *BY_SERVICE):
            for statement in build(vendor, table):
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0009_response_sent_on"),
        ("pps", "0009_service_letterhead"),
    ]

    operations = [
        migrations.CreateModel(
            name="TallyMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("version", models.PositiveBigIntegerField(default=0)),
                ("counts", models.TextField(null=True)),
                ("comments", models.TextField(null=True)),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="pps.service",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("service", "month"), name="tallymonth_unique_month"
                    )
                ],
            },
        ),
        migrations.RunPython(_run(_create), _run(_drop)),
    ]
