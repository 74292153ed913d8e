"""Background work of the audit trail."""

from __future__ import annotations

from django_tasks import task

from steward.audit.publishing import publish_all


@task()
def publish_to_ledger() -> int:
    """Publish waiting audit events to the ledger."""
    return publish_all()
