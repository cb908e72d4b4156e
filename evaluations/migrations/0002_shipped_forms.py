"""Give services that existed before evaluations their shipped forms (new ones get them
when they are set up: pps/services.py, with the step registered in evaluations/apps.py)."""

from django.db import migrations
from django.utils import timezone


def install(apps, schema_editor):
    from evaluations.shipped import create_shipped_forms

    Service = apps.get_model("pps", "Service")
    EvaluationForm = apps.get_model("evaluations", "EvaluationForm")
    now = timezone.now()
    for service in Service.objects.all():
        if EvaluationForm.objects.filter(service=service).exists():
            continue
        create_shipped_forms(
            service,
            form_model=EvaluationForm,
            version_model=apps.get_model("evaluations", "FormVersion"),
            question_model=apps.get_model("evaluations", "Question"),
            published_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("pps", "0002_service_evaluation_link_days_and_more")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
