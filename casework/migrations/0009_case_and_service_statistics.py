"""Tell PostgreSQL's planner that a contact's or an enquiry's service follows from its case.

Every query of the product is scoped to a service (pps/access.py), so a lookup of one
case's contacts also filters on the service. The planner took the two conditions as
independent and estimated one row where a case has about ten: it then read every contact
of the case and sorted them to find the first, instead of reading one entry of the
(case, at) index (response times: 30 ms instead of 7 for a large service-year). Extended
statistics of the functional dependency correct the estimate (docs/decisions/0017).
SQLite has no such statistics: nothing to do there.
"""

from django.db import migrations

STATISTICS = (
    ("contact_case_service", "casework_contact"),
    ("enquiry_case_service", "casework_enquiry"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in STATISTICS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies) ON case_id, service_id"
            f" FROM {table}"
        )
        # Statistics are gathered by ANALYZE: at once, not at autovacuum's next visit.
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0008_report_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
