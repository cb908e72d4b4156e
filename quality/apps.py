from django.apps import AppConfig


def _install_frameworks(service):
    from quality.actions import install_shipped_frameworks

    install_shipped_frameworks(service=service)


class QualityConfig(AppConfig):
    name = "quality"

    def ready(self):
        from pps.documents import register_builder
        from pps.services import on_new_service
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

        on_new_service(_install_frameworks)
