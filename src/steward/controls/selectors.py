"""Every read of the catalogue and of procedures, scoped to the viewer.

The catalogue is government-wide: every signed-in role but the
regulator's reads it. Procedures belong to an organisation and are seen
only within the viewer's reach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from steward.common.errors import NotFound
from steward.controls.models import (
    Framework,
    FrameworkVersion,
    Mapping,
    Procedure,
    ProcedureLink,
    ProcedureStatus,
    Requirement,
)
from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role

CATALOGUE_READERS = (
    Role.SIRO,
    Role.IAO,
    Role.GUARDIAN,
    Role.STAFF,
    Role.CENTRAL,
)


def can_read_catalogue(access: Access) -> bool:
    return access.has_any(CATALOGUE_READERS)


def framework_list(*, access: Access) -> QuerySet[FrameworkVersion]:
    """The current version of every framework, with its size."""
    if not can_read_catalogue(access):
        return FrameworkVersion.objects.none()
    return (
        FrameworkVersion.objects.filter(is_current=True)
        .select_related("framework")
        .annotate(requirement_count=Count("requirements"))
        .order_by("framework__slug")
    )


def framework_version_get(
    *, access: Access, slug: str, version: str | None = None
) -> FrameworkVersion:
    """A framework's current version, or the one named: old versions stay
    readable after an upgrade."""
    if not can_read_catalogue(access):
        raise NotFound("framework")
    qs = FrameworkVersion.objects.select_related("framework").filter(
        framework__slug=slug
    )
    qs = qs.filter(version=version) if version else qs.filter(is_current=True)
    found = qs.first()
    if found is None:
        raise NotFound("framework")
    return found


def framework_versions(
    *, access: Access, framework: Framework
) -> QuerySet[FrameworkVersion]:
    if not can_read_catalogue(access):
        return FrameworkVersion.objects.none()
    return framework.versions.all()


def requirement_list(
    *, access: Access, version: FrameworkVersion
) -> QuerySet[Requirement]:
    if not can_read_catalogue(access):
        return Requirement.objects.none()
    return version.requirements.select_related("parent").order_by("position")


@dataclass(frozen=True)
class MappingRow:
    source: Requirement
    target_urn: str
    relation: str
    target: Requirement | None  # in the target framework's current version


def mapping_list(
    *, access: Access, version: FrameworkVersion
) -> list[MappingRow]:
    """Mappings from this version's requirements and to them from other
    frameworks, each resolved against the other side's current version."""
    if not can_read_catalogue(access):
        return []
    urns = list(version.requirements.values_list("urn", flat=True))
    maps = (
        Mapping.objects.filter(
            Q(source__version=version)
            | Q(target_urn__in=urns, source__version__is_current=True)
        )
        .select_related("source", "source__version__framework")
        .order_by("source__position", "target_urn")
    )
    targets = {
        r.urn: r
        for r in Requirement.objects.filter(
            urn__in={m.target_urn for m in maps}, version__is_current=True
        ).select_related("version__framework")
    }
    own = {r.urn: r for r in version.requirements.all()}
    rows = []
    for m in maps:
        if m.source.version_id == version.pk:
            rows.append(
                MappingRow(
                    m.source,
                    m.target_urn,
                    m.relation,
                    targets.get(m.target_urn),
                )
            )
        else:
            # A mapping into this framework, shown from this side.
            rows.append(
                MappingRow(
                    own[m.target_urn],
                    m.source.urn,
                    m.relation,
                    m.source,
                )
            )
    return rows


def procedure_list(
    *, access: Access, organisation: Organisation | None = None
) -> QuerySet[Procedure]:
    qs = Procedure.objects.filter(
        access.visible_q("organisation__")
    ).select_related("organisation", "owner")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.prefetch_related("links")


def procedure_get(*, access: Access, pk: int) -> Procedure:
    try:
        return procedure_list(access=access).get(pk=pk)
    except Procedure.DoesNotExist:
        raise NotFound("procedure") from None


@dataclass(frozen=True)
class Coverage:
    organisation: Organisation
    mandatory: list[Requirement]
    uncovered: list[Requirement]
    overdue: list[Procedure]
    current: list[Procedure]
    today: dt.date

    @property
    def covered_count(self) -> int:
        return len(self.mandatory) - len(self.uncovered)


def procedure_coverage(
    *, access: Access, organisation: Organisation
) -> Coverage:
    """Which mandatory requirements of the current catalogue have no
    current, in-date procedure in this organisation, and which of its
    procedures are overdue review. Four queries, whatever the sizes."""
    if not Organisation.objects.filter(
        access.visible_q(), pk=organisation.pk
    ).exists():
        raise NotFound("organisation")
    today = timezone.localdate()
    current = list(
        Procedure.objects.filter(
            organisation=organisation, status=ProcedureStatus.CURRENT
        )
        .select_related("organisation", "owner")
        .order_by("next_review", "pk")
    )
    in_date = [p.pk for p in current if p.next_review >= today]
    covered = set(
        ProcedureLink.objects.filter(procedure_id__in=in_date).values_list(
            "urn", flat=True
        )
    )
    mandatory = list(
        Requirement.objects.filter(version__is_current=True, mandatory=True)
        .select_related("version__framework")
        .order_by("version__framework__slug", "position")
    )
    return Coverage(
        organisation=organisation,
        mandatory=mandatory,
        uncovered=[r for r in mandatory if r.urn not in covered],
        overdue=[p for p in current if p.next_review < today],
        current=current,
        today=today,
    )
