from django.apps import AppConfig
from django.db.models.signals import post_save


def _install_frameworks(sender, instance, created, raw=False, **kwargs):
    # casework.actions.create_service makes services and may not import quality (it is
    # below it), so a new service gets the shipped frameworks from this signal instead.
    if created and not raw:
        from quality.actions import install_shipped_frameworks

        install_shipped_frameworks(service=instance)


class QualityConfig(AppConfig):
    name = "quality"

    def ready(self):
        from pps.documents import register_builder
        from pps.models import Service
        from quality.documents import (
            ASSESSMENT_PDF,
            EVIDENCE_PACK_PDF,
            PLAN_PDF,
            build_assessment_pdf,
            build_evidence_pack,
            build_plan_pdf,
        )

        register_builder(ASSESSMENT_PDF, build_assessment_pdf)
        register_builder(EVIDENCE_PACK_PDF, build_evidence_pack)
        register_builder(PLAN_PDF, build_plan_pdf)

        from quality.network import assessment_level_tables
        from reports.network_report import register_tables

        register_tables(assessment_level_tables)

        post_save.connect(_install_frameworks, sender=Service, dispatch_uid="quality-frameworks")
