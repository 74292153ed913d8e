"""Where a department scans for personal data, and what each scan found.

Results hold what ``steward.discovery`` reports: counts, distinct counts,
places and masked samples, never a raw value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ScanLocation(models.Model):
    """A folder, file share or database a department scans regularly."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="scan_locations",
    )
    name = models.CharField(max_length=100)
    target = models.CharField(
        max_length=500,
        help_text="A path on the worker's machine, or a database URL "
        "(put passwords in the environment, not here)",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scan_locations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__path", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    JOB = "job", "Scan job"
    AGENT = "agent", "Scanning agent"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ScanRun(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="scan_runs",
    )
    location = models.ForeignKey(
        ScanLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scan_runs",
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sources = models.PositiveIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    totals = models.JSONField(default=list)
    findings = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    # Bulk: some entity found at or above the protected-personal-data
    # threshold. Unregistered: bulk, with no asset to account for it.
    bulk = models.BooleanField(default=False)
    unregistered = models.BooleanField(default=False, db_index=True)
    failure = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"Scan {self.pk} ({self.get_status_display()})"

    @property
    def found(self) -> int:
        return sum(int(t.get("count", 0)) for t in self.totals)

    @property
    def read_nothing(self) -> bool:
        """Whether every source failed: the scan then says nothing about
        personal data there."""
        return not self.sources and bool(self.problems)

    @property
    def problems_described(self) -> list[tuple[str, str]]:
        """Each source that could not be read, and why in words (the
        reader's message is not kept: it can quote the file)."""
        return [(str(problem.get("path", "")),
                 PROBLEM_WORDS.get(kind := str(problem.get("kind", "")),
                                   kind))
                for problem in self.problems]


# What each kind of read problem (steward.discovery's ReadError.kind)
# means to the person reading a scan.
PROBLEM_WORDS = {
    "unreadable": "could not be read: it is missing, or Steward is not "
                  "allowed to read it",
    "encrypted": "encrypted, so what it holds could not be checked",
    "corrupt": "damaged, or not in the format its name says",
    "limit": "beyond a limit the scan keeps to",
    "too-large": "larger than the largest file a scan reads",
    "zip-bomb": "refused: an archive that would expand far beyond its size",
    "time-limit": "took longer than a scan gives one file",
    "error": "could not be scanned: an unexpected error",
}
