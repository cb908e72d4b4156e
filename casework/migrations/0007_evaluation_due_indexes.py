from django.db import migrations, models

_DUE = models.Q(
    ("evaluation_sent_on__isnull", True),
    ("evaluation_sent_on__lt", models.F("last_contact_on")),
    _connector="OR",
)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0006_list_and_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=_DUE,
                fields=["service", "last_contact_on", "id"],
                name="case_evaluation_due",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=_DUE,
                fields=["officer", "last_contact_on", "id"],
                name="case_evaluation_due_by_officer",
            ),
        ),
    ]
