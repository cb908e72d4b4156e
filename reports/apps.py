from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        # The network report's summaries follow every write of what they count.
        from reports import network

        network.connect()
