"""Reads for one procedure's page: its requirements, history and
documents, and who may own it. Scoped through ``procedure_get``."""

from __future__ import annotations

from django.db.models import QuerySet

from steward.accounts.models import User
from steward.common.errors import NotFound
from steward.controls.models import Procedure, Requirement
from steward.controls.procedure_models import (
    ProcedureChange,
    ProcedureDocument,
)
from steward.controls.services import PROCEDURE_KEEPERS
from steward.organisations.access import Access
from steward.organisations.models import Organisation


def can_keep(access: Access, organisation: Organisation) -> bool:
    return access.has_role(PROCEDURE_KEEPERS, organisation)


def procedure_history(
    *, access: Access, procedure: Procedure
) -> QuerySet[ProcedureChange]:
    """The procedure's changes, newest first (``procedure`` comes from
    the scoped ``selectors.procedure_get``)."""
    return procedure.changes.select_related("by").order_by("-at", "-pk")


def procedure_documents(
    *, access: Access, procedure: Procedure
) -> QuerySet[ProcedureDocument]:
    return procedure.documents.select_related("uploaded_by").order_by(
        "-uploaded_at", "-pk"
    )


def procedure_document_get(
    *, access: Access, procedure: Procedure, pk: int
) -> ProcedureDocument:
    found = procedure.documents.filter(pk=pk).first()
    if found is None:
        raise NotFound("document")
    return found


def procedure_requirements(*, procedure: Procedure) -> list[dict]:
    """Each URN the procedure implements, with the requirement in its
    framework's current version (or the latest version that has it)."""
    urns = sorted(link.urn for link in procedure.links.all())
    found: dict[str, Requirement] = {}
    for r in (
        Requirement.objects.filter(urn__in=urns)
        .select_related("version__framework")
        .order_by("urn", "-version__is_current", "-version__loaded_at")
    ):
        found.setdefault(r.urn, r)
    return [{"urn": u, "requirement": found.get(u)} for u in urns]


def owner_choices(*, organisation: Organisation) -> list[User]:
    """People who may own the organisation's procedures: anyone with a
    current role in its department's tree (what the services accept)."""
    department = organisation.department() or organisation
    return list(
        User.objects.filter(
            memberships__revoked_at__isnull=True,
            memberships__organisation__path__startswith=department.path,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def requirement_choices() -> list[Requirement]:
    """The requirements a procedure can implement: those with no
    children in every framework's current version, the 2008 measures
    and the UK GDPR first."""
    order = {"dhp2008": 0, "ukgdpr": 1}
    rows = list(
        Requirement.objects.filter(
            version__is_current=True, children__isnull=True
        )
        .select_related("version__framework")
        .order_by("version__framework__slug", "position")
    )
    rows.sort(key=lambda r: order.get(r.version.framework.slug, 9))
    return rows
