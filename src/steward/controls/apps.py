from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "steward.controls"
    label = "controls"
    verbose_name = "Standards and procedures"

    def ready(self) -> None:
        from django.urls import reverse

        from steward.actions import sources

        # Action plans for assessment findings.
        sources.register(
            "finding",
            "Assessment finding",
            lambda pk: reverse("assessments:finding", args=[pk]),
        )
