from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    """Documents a service publishes, assembled from every app's figures and records: the
    annual report and the benchmarking return (docs/reporting.md). Above quality in the
    import contract (decision 0019)."""

    name = "publications"

    def ready(self):
        from pps.documents import register_builder
        from publications.documents import (
            ANNUAL_REPORT_PDF,
            BENCHMARKING_RETURN_PDF,
            build_annual_report_pdf,
            build_benchmarking_return_pdf,
        )

        register_builder(ANNUAL_REPORT_PDF, build_annual_report_pdf)
        register_builder(BENCHMARKING_RETURN_PDF, build_benchmarking_return_pdf)
