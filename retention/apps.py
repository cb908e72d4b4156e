from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Keeping personal data no longer than needed: the service's retention rule, what is due,
    legal holds, anonymisation and erasure, and the record of what was done
    (docs/data-lifecycle.md). Above evaluations in the import contract (decision 0021)."""

    name = "retention"
