from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "steward.common"
    label = "common"
    verbose_name = "Common base classes"
