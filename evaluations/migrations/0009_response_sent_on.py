"""A response records the day its form was sent (the sending's), so that a period's
responses are read by (service, sent_on) (evaluations.results.TallySql)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_sent_on(apps, schema_editor):
    Response = apps.get_model("evaluations", "Response")
    Sending = apps.get_model("evaluations", "Sending")
    Response.objects.update(
        sent_on=Subquery(Sending.objects.filter(pk=OuterRef("sending_id")).values("sent_on"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_answer_value_unindexed"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="sent_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(copy_sent_on, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="response",
            name="sent_on",
            field=models.DateField(),
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                fields=["service", "sent_on"], name="evaluations_service_32894a_idx"
            ),
        ),
    ]
