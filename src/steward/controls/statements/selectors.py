"""Reads of Statements of Internal Control, scoped to the viewer: the
SIRO, Data Guardians, IAOs and the central team within their reach."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from steward.actions.models import Action
from steward.common.errors import Forbidden, NotFound
from steward.controls.models import Finding
from steward.controls.statement_models import Statement
from steward.controls.statements.services import (
    STATEMENT_EDITORS,
    STATEMENT_KINDS,
    STATEMENT_SIGNERS,
)
from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role

STATEMENT_READERS = (Role.SIRO, Role.IAO, Role.GUARDIAN, Role.CENTRAL)


def can_read(access: Access) -> bool:
    return access.has_any(STATEMENT_READERS)


def statement_list(
    *, access: Access, period: str = "", status: str = ""
) -> QuerySet[Statement]:
    qs = Statement.objects.filter(
        access.visible_q("organisation__", STATEMENT_READERS)
    ).select_related("organisation", "signed_by")
    if period:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period_start", "organisation__path")


def statement_get(*, access: Access, pk: int) -> Statement:
    """A statement within the viewer's reach (404 outside it); a role in
    reach that may not read statements is refused (403)."""
    found = (
        Statement.objects.filter(access.visible_q("organisation__"))
        .select_related(
            "organisation",
            "signed_by",
            "assessment",
            "created_by",
            "updated_by",
        )  # fmt: skip
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("statement")
    if not access.has_role(STATEMENT_READERS, found.organisation):
        raise Forbidden(
            "Statements of Internal Control are read by the SIRO, Data "
            "Guardians, IAOs and the central team"
        )
    return found


def draftable_organisations(*, access: Access) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        access.visible_q(roles=STATEMENT_EDITORS),
        kind__in=STATEMENT_KINDS,
        is_active=True,
    ).order_by("path")


def can_edit(access: Access, statement: Statement) -> bool:
    return not statement.is_signed and access.has_role(
        STATEMENT_EDITORS, statement.organisation
    )


def can_sign(access: Access, statement: Statement) -> bool:
    return not statement.is_signed and access.has_role(
        STATEMENT_SIGNERS, statement.organisation
    )


@dataclass(frozen=True)
class Source:
    label: str
    url: str


def statement_sources(*, access: Access, statement: Statement) -> list[Source]:
    """The records the draft was drawn from, each linked, as far as they
    still exist and the viewer sees them."""
    s = statement.sources or {}
    out: list[Source] = []
    if s.get("assessment") and statement.assessment is not None:
        a = statement.assessment
        out.append(
            Source(
                f"Assessment {a.period} ({a.get_status_display().lower()})",
                reverse("assessments:detail", kwargs={"pk": a.pk}),
            )
        )
    findings = Finding.objects.filter(
        pk__in=s.get("findings", []),
        organisation__in=Organisation.objects.filter(access.visible_q()),
    ).select_related("requirement")
    for f in findings.order_by("requirement__position"):
        out.append(
            Source(
                f"Finding: {f.requirement.ref} {f.requirement.title}",
                reverse("assessments:finding", kwargs={"pk": f.pk}),
            )
        )
    actions = Action.objects.filter(
        pk__in=s.get("actions", []),
        organisation__in=Organisation.objects.filter(access.visible_q()),
    )
    for act in actions.order_by("due", "pk"):
        out.append(
            Source(
                f"Action: {act.title}",
                reverse("actions:detail", kwargs={"pk": act.pk}),
            )
        )
    out.append(
        Source(
            "Procedures and coverage",
            reverse(
                "controls:coverage",
                kwargs={"code": statement.organisation.code},
            ),
        )
    )
    return out
