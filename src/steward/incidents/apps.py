from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "steward.incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from django.urls import reverse

        from steward.actions import sources

        # Actions raised on an incident link back to it.
        sources.register(
            "incident",
            "Incident",
            lambda pk: reverse("incidents:detail", args=[pk]),
        )
        # Registers this app's automated checks with the controls registry.
        from steward.incidents import checks  # noqa: F401
