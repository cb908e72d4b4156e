from django.apps import AppConfig
from django.db.models.signals import post_save


def _install_shipped_forms(sender, instance, created, raw=False, **kwargs):
    # casework.actions.create_service makes services and cannot import this app (imports go
    # downward only), so every new service gets its forms here.
    if created and not raw:
        from evaluations.actions import install_shipped_forms

        install_shipped_forms(service=instance)


class EvaluationsConfig(AppConfig):
    name = "evaluations"

    def ready(self):
        from evaluations.documents import EVENT_HAND_OUTS, build_event_hand_outs
        from pps.documents import register_builder

        register_builder(EVENT_HAND_OUTS, build_event_hand_outs, writes=True)
        post_save.connect(_install_shipped_forms, sender="pps.Service", dispatch_uid="eval-forms")
