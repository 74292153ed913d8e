"""Data-copy reports sent by departments' endpoint-monitoring agents.

Each report says that files were copied somewhere (a USB stick, a disc,
an email): how many, their digests, how much personal data a scan found
in them, and whether they were encrypted. Never the files' names or
contents. An agent's idempotency key makes a resend harmless.
"""

from __future__ import annotations

from django.db import models

from steward.organisations.models import ApiKey, Organisation


class Destination(models.TextChoices):
    REMOVABLE_MEDIA = "removable_media", "Removable media (USB, disc)"
    EMAIL = "email", "Email"
    NETWORK_SHARE = "network_share", "Network share"
    CLOUD = "cloud", "Cloud storage"
    PRINT = "print", "Printer"
    OTHER = "other", "Other"


class CopyReport(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="copy_reports"
    )
    idempotency_key = models.CharField(max_length=100)
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, null=True, related_name="+"
    )
    copied_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    device = models.CharField(max_length=100)
    destination = models.CharField(max_length=20, choices=Destination.choices)
    file_count = models.PositiveIntegerField()
    byte_count = models.BigIntegerField()
    file_digests = models.JSONField(default=list)
    personal_data = models.JSONField(
        default=dict, help_text="Counts found by entity, e.g. UK_NINO: 120"
    )
    encrypted = models.BooleanField()

    class Meta:
        ordering = ["-copied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                name="one_report_per_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_count} file(s) to {self.destination}"


class LedgerVerification(models.Model):
    """One full check of the ledger, as an outsider would run it: every
    entry exported to a bundle and verified against the signed checkpoint,
    which must extend the one the previous check saw."""

    verified_at = models.DateTimeField(auto_now_add=True)
    size = models.BigIntegerField()
    ok = models.BooleanField()
    reason = models.CharField(max_length=300, blank=True)
    checkpoint = models.TextField(blank=True)

    class Meta:
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return f"{'Good' if self.ok else 'FAILED'} at {self.size}"

    @property
    def nothing_signed(self) -> bool:
        """Whether the check found no signed checkpoint to verify."""
        return self.ok and not self.size
