from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0006_event_cleared_for_steering"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="sending",
            index=models.Index(
                condition=models.Q(("email_status", "failed")),
                fields=["service", "sent_on"],
                name="sending_failed_email",
            ),
        ),
    ]
