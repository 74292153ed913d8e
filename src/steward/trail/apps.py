from django.apps import AppConfig


class TrailConfig(AppConfig):
    """The audit trail and the ledger, as people and the regulator see
    them: pages, the ledger's API and its background publishing."""

    name = "steward.trail"
    label = "trail"
    verbose_name = "Audit trail and ledger"
