from django.apps import AppConfig


class ScansConfig(AppConfig):
    """Discovery in the platform: scan jobs over a department's locations
    and reports uploaded by its scanning agents, stored per organisation
    and linked to the asset they belong to."""

    name = "steward.scans"
    label = "scans"
    verbose_name = "Personal data scans"

    def ready(self) -> None:
        # Registers this app's automated check with the controls registry.
        from steward.scans import checks  # noqa: F401
