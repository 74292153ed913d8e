from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "steward.accounts"
    label = "accounts"
    verbose_name = "People and sign-in"
