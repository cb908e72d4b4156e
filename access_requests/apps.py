from django.apps import AppConfig


class AccessRequestsConfig(AppConfig):
    """Subject access requests: the request, its due date and completion, and the bundle of
    everything held about one parent and their children (docs/data-lifecycle.md). Above
    evaluations in the import contract (decision 0021)."""

    name = "access_requests"

    def ready(self):
        from access_requests.documents import BUNDLE, build_bundle
        from pps.documents import register_builder

        register_builder(BUNDLE, build_bundle)
