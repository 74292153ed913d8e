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
        # Registers this app's automated checks with the controls registry,
        # and the year's incidents in each Statement of Internal Control.
        from steward.controls.statements import contributions
        from steward.incidents import checks  # noqa: F401
        from steward.incidents.statement import incident_paragraphs

        contributions.register(incident_paragraphs)
