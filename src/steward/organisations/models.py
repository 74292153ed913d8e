"""The tree of organisations, the roles people hold in them, SIRO
appointments and API keys.

Import rule: this app depends on ``accounts`` and ``audit`` only. Every
read of these models from a view or the API goes through ``selectors``;
every write through ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    CENTRAL = "central", "Central body"
    DEPARTMENT = "department", "Department"
    AGENCY = "agency", "Executive agency"
    ALB = "alb", "Arm's-length body"
    CONTRACTOR = "contractor", "Contractor"
    REGULATOR = "regulator", "Regulator"


class Role(models.TextChoices):
    SIRO = "siro", "Senior Information Risk Owner"
    IAO = "iao", "Information Asset Owner"
    GUARDIAN = "guardian", "Data Guardian"
    STAFF = "staff", "Staff"
    CENTRAL = "central", "Central assurance team"
    AUDITOR = "auditor", "Regulator (ICO)"


# Roles whose holders must sign in with a second factor.
TWO_FACTOR_ROLES = frozenset({Role.SIRO, Role.CENTRAL, Role.AUDITOR})


class Organisation(models.Model):
    code = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Short stable identifier used in addresses, e.g. hmrc.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Materialised path of codes ("/gov/hmrc/vao/"): a subtree is one
    # indexed prefix match, however deep the tree.
    path = models.CharField(max_length=500, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_paths(self) -> list[str]:
        """The paths of this organisation and every one above it: the
        organisations whose roles reach it."""
        parts = self.path.strip("/").split("/")
        return [
            "/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))
        ]

    def department(self) -> Organisation | None:
        """The department this organisation sits in (itself if one)."""
        node: Organisation | None = self
        while node is not None and node.kind != Kind.DEPARTMENT:
            node = node.parent
        return node


class Membership(models.Model):
    """A role held by a person in an organisation; it reaches the subtree.

    Memberships are never deleted: revoking one records who and when.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__path", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(revoked_at__isnull=True),
                name="one_current_membership_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None


class SiroAppointment(models.Model):
    """Who is (and was) the SIRO of a department.

    At most one appointment per department is current (no ``ended_at``);
    a new appointment ends the previous one, so the history is complete.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="siro_appointments",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["organisation__path", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(ended_at__isnull=True),
                name="one_current_siro_per_department",
            )
        ]

    def __str__(self) -> str:
        return f"SIRO of {self.organisation}: {self.person}"


class ApiKey(models.Model):
    """A key for agents and scripts, acting with one role in one
    organisation's subtree. Only a SHA-256 digest of the secret is kept."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.STAFF
    )
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__path", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None
