"""The catalogue of government-wide standards, and each organisation's
own procedures linked to the requirements they implement.

Import rule: this app depends on ``organisations``, ``accounts`` and
``audit`` only (``assets`` later, for the automated checks). The catalogue
comes from the data files in ``catalogue/`` through
``services.catalogue_load``; a framework version, once loaded, is never
changed, so whatever was recorded against it stays readable. A new version
is loaded beside it and becomes current.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Framework(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    published = models.DateField(null=True, blank=True)
    source = models.TextField()
    licence = models.CharField(max_length=300)
    # SHA-256 of the file's content: loading the same content again is a
    # no-op, and different content under the same version is refused.
    digest = models.CharField(max_length=64)
    is_current = models.BooleanField(default=False)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["framework__slug", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version"], name="controls_version_once"
            ),
            models.UniqueConstraint(
                fields=["framework"],
                condition=models.Q(is_current=True),
                name="controls_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.slug} {self.version}"


class Requirement(models.Model):
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    # Stable across versions: the same URN in two versions is the same
    # requirement, so procedures and assessments follow it on upgrade.
    urn = models.CharField(max_length=120)
    ref = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    source = models.TextField()
    mandatory = models.BooleanField(default=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "urn"], name="controls_urn_once"
            ),
        ]
        indexes = [models.Index(fields=["urn"], name="controls_req_urn")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class Relation(models.TextChoices):
    EQUIVALENT = "equivalent", "Equivalent"
    SUBSET = "subset", "Subset of"
    SUPERSET = "superset", "Superset of"
    RELATED = "related", "Related"


class Mapping(models.Model):
    """A link from a requirement to another framework's, by URN: the
    target is whichever version of that framework is read."""

    source = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="mappings"
    )
    target_urn = models.CharField(max_length=120)
    relation = models.CharField(
        max_length=20, choices=Relation.choices, default=Relation.RELATED
    )

    class Meta:
        ordering = ["source", "target_urn"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_urn"], name="controls_map_once"
            ),
        ]
        indexes = [
            models.Index(fields=["target_urn"], name="controls_map_target")
        ]

    def __str__(self) -> str:
        return f"{self.source.urn} → {self.target_urn}"


class ProcedureStatus(models.TextChoices):
    CURRENT = "current", "Current"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Procedure(models.Model):
    """An organisation's own procedure document."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    next_review = models.DateField()
    document_url = models.URLField(blank=True)
    status = models.CharField(
        max_length=20,
        choices=ProcedureStatus.choices,
        default=ProcedureStatus.CURRENT,
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation__path", "title", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "next_review"],
                name="controls_proc_review",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ProcedureLink(models.Model):
    """A requirement a procedure implements, by URN: the procedure keeps
    covering it when a new version of its framework is loaded."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="links"
    )
    urn = models.CharField(max_length=120)

    class Meta:
        ordering = ["procedure", "urn"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "urn"], name="controls_link_once"
            ),
        ]
        indexes = [models.Index(fields=["urn"], name="controls_link_urn")]

    def __str__(self) -> str:
        return f"{self.procedure_id} → {self.urn}"


# --- Assessments ----------------------------------------------------------
#
# An assessment is one organisation's position against one framework
# version for one period. Periods are UK government financial years
# (1 April to 31 March), written "2008-09", or their quarters, written
# "2008-09 Q1" (April to June) to "2008-09 Q4" (January to March); see
# ``steward.controls.periods``. An organisation has at most one
# assessment per framework and period. The framework version is fixed
# when the assessment starts: loading a new version later leaves it, its
# answers and its findings exactly as they were.


class Result(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly met", "Partly met"
    NOT_MET = "not met", "Not met"
    NOT_APPLICABLE = "not applicable", "Not applicable"


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SIGNED_OFF = "signed_off", "Signed off"


class Assessment(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    # The framework as well as its version, so that "one per framework and
    # period" is a database constraint.
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments"
    )
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    period = models.CharField(max_length=20)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.IN_PROGRESS,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField()
    checks_run_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)

    class Meta:
        ordering = ["organisation__path", "-period_start", "framework__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "framework", "period"],
                name="controls_assessment_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["period_start", "status"],
                name="controls_assess_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.version} {self.period}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == AssessmentStatus.SIGNED_OFF


class CheckRun(models.Model):
    """One run of the automated checks for an assessment, kept as it was:
    every check's result, figures and record links at that moment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="check_runs"
    )
    number = models.PositiveIntegerField()
    run_at = models.DateTimeField()
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # {check name: {"title", "outcome", "applicable", "failing",
    #               "summary", "links", "requirements"}}
    results = models.JSONField(default=dict)

    class Meta:
        ordering = ["assessment", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="controls_run_once"
            ),
        ]


class AnswerSource(models.TextChoices):
    AUTOMATED = "automated", "Automated check"
    MANUAL = "manual", "Answered by people"


class Answer(models.Model):
    """The assessment's result for one requirement: computed by the checks
    that evidence it, or answered by a person with evidence."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="answers"
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="answers"
    )
    source = models.CharField(max_length=20, choices=AnswerSource.choices)
    result = models.CharField(
        max_length=20, choices=Result.choices, blank=True
    )
    note = models.TextField(blank=True)
    # For an automated answer: the checks behind it as they were in the
    # check run that computed it (see CheckRun.results).
    figures = models.JSONField(default=list, blank=True)
    check_run = models.ForeignKey(
        CheckRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "requirement__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"],
                name="controls_answer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement.ref}: {self.result or 'not answered'}"


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"


def _evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is the digest, never the uploaded name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"evidence/{instance.answer.assessment_id}/"
        f"{instance.sha256[:32]}.{suffix}"
    )


class Evidence(models.Model):
    """A file or a link put forward for an answer. Kept once added; an
    evidence item can be withdrawn (with who and when) but not removed."""

    answer = models.ForeignKey(
        Answer, on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=_evidence_path, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # When the evidence was true (e.g. the date of a board minute).
    observed_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["answer", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Finding(models.Model):
    """A requirement the assessment found not met or partly met. It is
    opened when an answer or a check says so, and resolved (not deleted)
    if a later answer or check run says met or not applicable. Its action
    plan is a set of ``steward.actions`` actions with source kind
    "finding"."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="findings"
    )
    answer = models.OneToOneField(
        Answer, on_delete=models.PROTECT, related_name="finding"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="findings",
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="findings"
    )
    result = models.CharField(max_length=20, choices=Result.choices)
    status = models.CharField(
        max_length=20,
        choices=FindingStatus.choices,
        default=FindingStatus.OPEN,
    )
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Who resolved it and how, when a person did (after its action plan
    # is done); empty when a later answer or check run resolved it.
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "requirement__position"]
        indexes = [
            models.Index(
                fields=["organisation", "status"],
                name="controls_finding_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.ref} {self.get_result_display()}"
