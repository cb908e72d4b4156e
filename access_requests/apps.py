from django.apps import AppConfig


class AccessRequestsConfig(AppConfig):
    """Subject access requests: the request, its due date and completion, and the bundle of
    everything held about one parent and their children (docs/data-lifecycle.md). Above
    evaluations in the import contract (decision 0021)."""

    name = "access_requests"
