from django.db import migrations, models

# The search of the case list (casework.queries.search_cases) looks each word up with
# icontains, which PostgreSQL runs as UPPER(column::text) LIKE UPPER('%word%'): a trigram
# index on that same expression answers it without reading the whole table. PostgreSQL
# only: on SQLite (the demo) the search reads the tables, which is quick at that size.
# pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
TRIGRAM_INDEXES = [
    ("casework_parent", "first_name", "parent_first_name_trgm"),
    ("casework_parent", "last_name", "parent_last_name_trgm"),
    ("casework_parent", "postcode", "parent_postcode_trgm"),
    ("casework_child", "first_name", "child_first_name_trgm"),
    ("casework_child", "last_name", "child_last_name_trgm"),
    ("casework_case", "reference", "case_reference_trgm"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_case_event_ended_on"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["service", "opened_on", "id"], name="case_by_opening"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
