"""The history of each procedure and the documents uploaded for it.

Imported at the end of ``steward.controls.models`` so that Django sees
these models as the ``controls`` app's. A procedure's changes are kept,
never edited or removed: each row says who changed what, from what to
what, and when. Each uploaded document is kept too; the procedure's
document is its latest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steward.controls.models import Procedure

__all__ = ["ProcedureChange", "ProcedureDocument", "ProcedureEvent"]


class ProcedureEvent(models.TextChoices):
    CREATED = "created", "Recorded"
    EDITED = "edited", "Edited"
    REVIEWED = "reviewed", "Reviewed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DOCUMENT = "document", "Document uploaded"


class ProcedureChange(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="changes"
    )
    event = models.CharField(max_length=20, choices=ProcedureEvent.choices)
    # {field: [before, after]} in words a reader understands (titles,
    # dates, requirement URNs); never a document's content.
    changes = models.JSONField(default=dict)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The actor as the audit trail names it (a person, an API key or a
    # system job), for rows with no person.
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["procedure", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.event} {self.at:%Y-%m-%d}"


def _document_path(instance: ProcedureDocument, filename: str) -> str:
    # The stored name is the digest, never the uploaded name.
    return (
        f"procedures/{instance.procedure_id}/"
        f"{instance.sha256[:32]}.{instance.suffix}"
    )


class ProcedureDocument(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(upload_to=_document_path)
    filename = models.CharField(max_length=200)
    suffix = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["procedure", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename
