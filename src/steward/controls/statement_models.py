"""Statements of Internal Control: a department's annual
information-assurance statement.

Imported at the end of ``steward.controls.models`` so that Django sees
these models as the ``controls`` app's. A statement is drafted from the
year's assessment, its findings and their actions (``sources`` keeps
which records, so every sentence traces to them), edited by the Data
Guardians and the SIRO, and signed by the SIRO. Once signed it is never
changed: ``signed_digest`` is the SHA-256 of the text that was signed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["Statement", "StatementStatus"]


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Statement(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="statements",
    )
    # A financial year, written "2008-09" (``steward.controls.periods``).
    period = models.CharField(max_length=20)
    period_start = models.DateField()
    period_end = models.DateField()
    assessment = models.ForeignKey(
        "controls.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    text = models.TextField()
    # What the draft was generated from: {"assessment": id, "findings":
    # [ids], "actions": [ids], "figures": {...}, "generated_at": iso}.
    sources = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20,
        choices=StatementStatus.choices,
        default=StatementStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["organisation__path", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"],
                name="controls_statement_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Statement of Internal Control {self.period}"

    @property
    def is_signed(self) -> bool:
        return self.status == StatementStatus.SIGNED
