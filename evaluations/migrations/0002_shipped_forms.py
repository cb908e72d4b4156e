"""Give services that existed before evaluations their shipped forms (new ones get them
from the post_save signal in evaluations/apps.py)."""

from django.db import migrations
from django.utils import timezone


def install(apps, schema_editor):
    from evaluations.shipped import SHIPPED_FORMS

    Service = apps.get_model("pps", "Service")
    EvaluationForm = apps.get_model("evaluations", "EvaluationForm")
    FormVersion = apps.get_model("evaluations", "FormVersion")
    Question = apps.get_model("evaluations", "Question")
    now = timezone.now()
    for service in Service.objects.all():
        if EvaluationForm.objects.filter(service=service).exists():
            continue
        for kind, title, introduction, questions in SHIPPED_FORMS:
            form = EvaluationForm.objects.create(
                service=service, kind=kind, title=title, introduction=introduction
            )
            version = FormVersion.objects.create(
                service=service, form=form, number=1, published_at=now
            )
            for position, q in enumerate(questions, start=1):
                Question.objects.create(
                    service=service,
                    version=version,
                    position=position,
                    key=q.key,
                    text=q.text,
                    kind=q.kind,
                    scale=q.scale,
                    options=list(q.options),
                    required=q.required,
                    allow_not_applicable=q.allow_not_applicable,
                    measure=q.measure,
                )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("pps", "0002_service_evaluation_link_days_and_more")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
