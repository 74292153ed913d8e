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
