from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "steward.controls"
    label = "controls"
    verbose_name = "Standards and procedures"
