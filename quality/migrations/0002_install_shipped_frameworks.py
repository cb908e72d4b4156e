"""Every service that exists before this app gets its own copy of the shipped frameworks.

Services made later get them when they are set up (pps/services.py; quality/apps.py registers the step).
"""

from django.db import migrations

from quality.frameworks import SHIPPED


def install(apps, schema_editor):
    Service = apps.get_model("pps", "Service")
    Framework = apps.get_model("quality", "Framework")
    FrameworkVersion = apps.get_model("quality", "FrameworkVersion")
    Level = apps.get_model("quality", "Level")
    Theme = apps.get_model("quality", "Theme")
    Standard = apps.get_model("quality", "Standard")
    parsed = [(shipped, shipped.parse()) for shipped in SHIPPED]
    for service in Service.objects.all():
        have = set(Framework.objects.filter(service=service).values_list("shipped_key", flat=True))
        for shipped, framework_data in parsed:
            if shipped.key in have:
                continue
            framework = Framework.objects.create(
                service=service,
                name=shipped.name,
                shipped_key=shipped.key,
                description=shipped.description,
            )
            version = FrameworkVersion.objects.create(
                service=service,
                framework=framework,
                number=1,
                note="As shipped",
                fingerprint=framework_data.fingerprint(),
            )
            size = len(framework_data.scale)
            Level.objects.bulk_create(
                Level(service=service, version=version, label=label, rank=size - i)
                for i, label in enumerate(framework_data.scale)
            )
            position = 0
            for i, parsed_theme in enumerate(framework_data.themes):
                theme = Theme.objects.create(
                    service=service,
                    version=version,
                    code=parsed_theme.code,
                    title=parsed_theme.title,
                    position=i,
                )
                standards = []
                for code, text in parsed_theme.standards:
                    standards.append(
                        Standard(
                            service=service,
                            version=version,
                            theme=theme,
                            code=code,
                            text=text,
                            position=position,
                        )
                    )
                    position += 1
                Standard.objects.bulk_create(standards)


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial"), ("pps", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
