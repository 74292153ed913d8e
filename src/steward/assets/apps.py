from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "steward.assets"
    label = "assets"
    verbose_name = "Information assets"
