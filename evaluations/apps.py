from django.apps import AppConfig


def _install_shipped_forms(service):
    from evaluations.actions import install_shipped_forms

    install_shipped_forms(service=service)


class EvaluationsConfig(AppConfig):
    name = "evaluations"

    def ready(self):
        from evaluations.documents import EVENT_HAND_OUTS, build_event_hand_outs
        from pps.documents import register_builder

        register_builder(EVENT_HAND_OUTS, build_event_hand_outs, writes=True)
        from pps.services import on_new_service

        on_new_service(_install_shipped_forms)
