from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from casework.codelists import create_default_code_lists
        from pps.services import on_new_service

        on_new_service(create_default_code_lists)
