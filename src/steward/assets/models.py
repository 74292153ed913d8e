"""The information asset register: what personal data each organisation
holds, where, how it is protected and who owns it.

Import rule: this app depends on ``organisations``, ``accounts`` and
``audit`` only. Every read goes through ``selectors``, every write through
``services``. The derived columns (``is_ppd``, ``classification``,
``offshore``, ``transfer_ok``, ``risk``) are computed by
``derivations`` in the services on every write and stored, so that the
register's filters stay indexed at government scale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"
    DISPOSED = "disposed", "Disposed"


class LegalBasis(models.TextChoices):
    # UK GDPR Article 6(1)(a)-(f).
    CONSENT = "consent", "Consent"
    CONTRACT = "contract", "Contract"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
    VITAL_INTERESTS = "vital_interests", "Vital interests"
    PUBLIC_TASK = "public_task", "Public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"


class Subject(models.TextChoices):
    CITIZENS = "citizens", "Citizens and customers"
    CHILDREN = "children", "Children"
    PATIENTS = "patients", "Patients"
    STAFF = "staff", "Staff"
    CLAIMANTS = "claimants", "Benefit claimants"
    TAXPAYERS = "taxpayers", "Taxpayers"
    OFFENDERS = "offenders", "Offenders and suspects"
    VICTIMS = "victims", "Victims and witnesses"
    VISA_APPLICANTS = "visa_applicants", "Visa applicants"
    SERVICE_PERSONNEL = "service_personnel", "Service personnel"


class Category(models.TextChoices):
    IDENTIFIERS = "identifiers", "Identifiers (name, address, date of birth)"
    CONTACT = "contact", "Contact details"
    NI_NUMBER = "ni_number", "National Insurance number"
    PASSPORT = "passport", "Passport number"
    FINANCIAL = "financial", "Bank, financial or card details"
    TAX_BENEFIT = "tax_benefit", "Tax, benefit or pension records"
    HEALTH = "health", "Health"
    GENETIC_BIOMETRIC = "genetic_biometric", "Genetic or biometric (DNA)"
    ETHNICITY = "ethnicity", "Racial or ethnic origin"
    RELIGION = "religion", "Religious or philosophical beliefs"
    POLITICS = "politics", "Political opinions"
    TRADE_UNION = "trade_union", "Trade union membership"
    SEX_LIFE = "sex_life", "Sex life or sexual orientation"
    CRIMINAL = "criminal", "Criminal offence data"
    IMMIGRATION = "immigration", "Travel or immigration details"
    EMPLOYMENT = "employment", "Place of work"
    EDUCATION = "education", "School attendance or records"
    SOCIAL_CARE = "social_care", "Social services or child protection"


class GSC(models.TextChoices):
    """Government Security Classifications, 2 April 2014. OFFICIAL-
    SENSITIVE is OFFICIAL with a handling caveat, not a fourth level."""

    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"
    SECRET = "secret", "SECRET"
    TOP_SECRET = "top_secret", "TOP SECRET"


class LegacyMarking(models.TextChoices):
    """The Government Protective Marking Scheme before April 2014."""

    NONE = "", "None recorded"
    UNCLASSIFIED = "unclassified", "UNCLASSIFIED"
    PROTECT = "protect", "PROTECT"
    RESTRICTED = "restricted", "RESTRICTED"
    CONFIDENTIAL = "confidential", "CONFIDENTIAL"
    SECRET = "secret", "SECRET"
    TOP_SECRET = "top_secret", "TOP SECRET"


class BackupMedium(models.TextChoices):
    NONE = "none", "No backups"
    TAPE = "tape", "Tape"
    DISK = "disk", "Disk"
    CLOUD = "cloud", "Cloud storage"
    PAPER = "paper", "Paper copies"


class TransferMechanism(models.TextChoices):
    NONE = "", "None recorded"
    IDTA = "idta", "International Data Transfer Agreement (IDTA)"
    ADDENDUM = "addendum", "UK Addendum to the EU SCCs"
    LEGACY_SCCS = "legacy_sccs", "Legacy EU SCCs (pre-2021)"
    BCRS = "bcrs", "Binding corporate rules"
    DEROGATION = "derogation", "Exception (Article 49 derogation)"


class Risk(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Asset(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="assets",
    )
    reference = models.CharField(
        max_length=60,
        help_text="The department's own reference, unique in it.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_assets",
        help_text="The Information Asset Owner.",
    )
    purpose = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=30, choices=LegalBasis.choices)
    data_subjects = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    individuals = models.PositiveBigIntegerField()
    records = models.PositiveBigIntegerField()
    public_domain = models.BooleanField(
        default=False,
        help_text="All of it is already published (e.g. a public register).",
    )
    marking = models.CharField(
        max_length=20, choices=GSC.choices, default=GSC.OFFICIAL
    )
    legacy_marking = models.CharField(
        max_length=20, choices=LegacyMarking.choices, blank=True, default=""
    )
    encrypted_at_rest = models.BooleanField(default=False)
    backup_medium = models.CharField(
        max_length=10, choices=BackupMedium.choices, default=BackupMedium.NONE
    )
    backup_encrypted = models.BooleanField(default=False)
    backup_location = models.CharField(max_length=200, blank=True)
    backup_country = models.CharField(max_length=2, blank=True, default="")
    transfer_mechanism = models.CharField(
        max_length=20,
        choices=TransferMechanism.choices,
        blank=True,
        default="",
    )
    retention = models.CharField(
        max_length=200, help_text="How long it is kept, e.g. '6 years'."
    )
    disposal_rule = models.CharField(max_length=300, blank=True)
    review_due = models.DateField()
    last_reviewed = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_reason = models.CharField(max_length=500, blank=True)
    # Derived on every write by ``derivations.derive`` (never edited).
    is_ppd = models.BooleanField(default=False, editable=False)
    classification = models.CharField(
        max_length=20, choices=GSC.choices, editable=False
    )
    offshore = models.BooleanField(default=False, editable=False)
    transfer_ok = models.BooleanField(default=True, editable=False)
    risk = models.CharField(
        max_length=10, choices=Risk.choices, editable=False
    )
    # A digest of the imported row, so a re-import is recognised.
    import_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="asset_reference_unique_in_organisation",
            )
        ]
        # The register's list is scoped by organisation id and filtered
        # on one derived column: each (status, column, organisation) index
        # answers the page's count from the index alone, and (status,
        # name) serves the default sort. Measured in bench/assets_bench.py
        # and bench/assets_load.py. On PostgreSQL, search has trigram
        # indexes too (migration 0004: SQL only PostgreSQL understands).
        indexes = [
            models.Index(fields=["organisation", "name"]),
            models.Index(fields=["status", "name"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["status", "classification", "organisation"]),
            models.Index(fields=["status", "is_ppd", "organisation"]),
            models.Index(fields=["status", "offshore", "organisation"]),
            models.Index(fields=["status", "risk", "organisation"]),
            models.Index(fields=["status", "review_due", "organisation"]),
            # The list's other sorts: by number of people, by risk.
            models.Index(fields=["status", "individuals"]),
            models.Index(fields=["status", "risk", "name"]),
            models.Index(fields=["import_digest"]),
            models.Index(fields=["backup_country"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE


class Location(models.Model):
    """A system and site holding the asset; its country decides whether
    the asset is offshore."""

    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="locations"
    )
    system = models.CharField(max_length=200)
    site = models.CharField(max_length=200, blank=True)
    hosting_provider = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, default="GB")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["country", "asset"])]

    def __str__(self) -> str:
        return f"{self.system} ({self.country})"


class Change(models.Model):
    """One change to an asset: who, when, and each field before → after.

    Kept for ever beside the audit event that records the same write;
    people are named by id here too and looked up when shown.
    """

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="changes"
    )
    occurred_at = models.DateTimeField()
    actor_id = models.CharField(max_length=60)
    action = models.CharField(max_length=40)
    fields = models.JSONField(default=dict)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} at {self.occurred_at:%Y-%m-%d %H:%M}"


class Import(models.Model):
    """A committed import of a register file, kept so that the same file
    is recognised if it comes again."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_digest = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField()
    actor_id = models.CharField(max_length=60)

    class Meta:
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["organisation", "file_digest"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows} rows)"


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Not imported"


class JobPhase(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    READING = "reading", "Reading the file"
    CHECKING = "checking", "Checking each row"
    PREPARING = "preparing", "Working out each asset's classification and risk"
    SAVING = "saving", "Saving to the register"
    FINISHED = "finished", "Finished"


class ImportJob(models.Model):
    """A register file being imported in the background, with its progress
    (the import page polls it). The file waits in var/imports under
    ``token`` until the job has run."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    actor_id = models.CharField(max_length=60)
    filename = models.CharField(max_length=200)
    token = models.CharField(max_length=64)
    suffix = models.CharField(max_length=5)
    mapping = models.JSONField(default=dict)
    file_digest = models.CharField(max_length=64)
    # A dry run checks every row and stops; otherwise the rows are
    # imported when they all pass.
    dry_run = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    phase = models.CharField(
        max_length=10, choices=JobPhase.choices, default=JobPhase.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    # The first problems found, as [row, column, reason] (no cell values).
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    ready = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    result = models.ForeignKey(
        Import, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        """Progress through the whole job: reading is the first tenth,
        checking up to 60%, preparing to 90%, saving the rest."""
        if self.state == JobState.DONE:
            return 100
        share = {
            JobPhase.QUEUED: (0, 0),
            JobPhase.READING: (0, 10),
            JobPhase.CHECKING: (10, 60),
            JobPhase.PREPARING: (60, 90),
            JobPhase.SAVING: (90, 99),
        }.get(JobPhase(self.phase), (0, 0))
        start, end = share
        fraction = self.done / self.total if self.total else 0
        return int(start + (end - start) * min(1.0, fraction))
