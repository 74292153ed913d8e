"""The audit outbox: one row per significant write, in the write's own
transaction.

Rows are never updated except to mark them published to the ledger, and
never deleted. They hold identifiers, a digest of the record's state and
small structured details, never personal data; people are named by id and
resolved when the trail is shown.
"""

from __future__ import annotations

import uuid

from django.db import models


class AuditEvent(models.Model):
    event_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False
    )
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.CharField(max_length=64, db_index=True)
    organisation_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    state_digest = models.CharField(max_length=64)
    details = models.JSONField(default=dict)
    # Set when the ledger has appended this event; until then it waits in
    # the outbox.
    published_at = models.DateTimeField(null=True, blank=True)
    # The entry's index in the ledger once published.
    ledger_index = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["published_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"
