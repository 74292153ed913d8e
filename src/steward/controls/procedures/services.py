"""Changing a procedure after it is recorded: editing its details and
uploading a new document. (Recording, reviewing and withdrawing one are
in ``steward.controls.services``.)

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only), checks that they keep this organisation's
procedures, writes the procedure's history and records one audit event.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from steward.accounts.models import User
from steward.audit.services import audit_record
from steward.common.errors import Invalid
from steward.controls.evidence import CheckedFile
from steward.controls.models import (
    Procedure,
    ProcedureLink,
    ProcedureStatus,
)
from steward.controls.procedures import documents, history
from steward.controls.services import _check_keeper, _check_owner, _clean
from steward.organisations.access import Access


def _lock(procedure: Procedure) -> Procedure:
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if locked.status == ProcedureStatus.WITHDRAWN:
        raise Invalid(
            {
                "status": "The procedure is withdrawn: it can be read but not "
                "changed"
            }  # fmt: skip
        )
    return locked


@transaction.atomic
def procedure_update(
    *,
    access: Access,
    procedure: Procedure,
    title: str,
    version: str,
    owner: User,
    next_review: dt.date | None,
    requirement_urns: list[str],
    document_url: str = "",
    reason: str = "",
) -> Procedure:
    """Change a procedure's details and the requirements it implements.
    Links kept from an older framework version stay if they are still
    listed; new ones must be in the current catalogue."""
    _check_keeper(access, procedure.organisation)
    procedure = _lock(procedure)
    had = set(procedure.links.values_list("urn", flat=True))
    wanted = set(requirement_urns)
    _clean(
        title=title,
        version=version,
        next_review=next_review,
        urns=sorted(wanted - had),
        current_only=True,
    )
    _check_owner(owner, procedure.organisation)
    before = history.snapshot(procedure, sorted(had))
    procedure.title = title.strip()
    procedure.version = version.strip()
    procedure.owner = owner
    procedure.next_review = next_review  # type: ignore[assignment]
    procedure.document_url = document_url.strip()
    changes = history.diff(before, history.snapshot(procedure, sorted(wanted)))
    if not changes:
        raise Invalid({"title": "Nothing has changed"})
    procedure.updated_at = timezone.now()
    procedure.save()
    procedure.links.filter(urn__in=had - wanted).delete()
    ProcedureLink.objects.bulk_create(
        ProcedureLink(procedure=procedure, urn=u) for u in sorted(wanted - had)
    )
    history.record(
        procedure, access=access, event="edited", changes=changes,
        reason=reason,
    )  # fmt: skip
    audit_record(
        actor_id=access.actor_id,
        action="procedure.update",
        obj=procedure,
        organisation_id=procedure.organisation_id,
        details={
            "fields": ",".join(sorted(changes)),
            "requirements": len(wanted),
            "version": procedure.version,
        },
    )
    return procedure


@transaction.atomic
def procedure_document_upload(
    *, access: Access, procedure: Procedure, document: CheckedFile
) -> Procedure:
    """Keep a new document for the procedure; the earlier ones stay in
    its history."""
    _check_keeper(access, procedure.organisation)
    procedure = _lock(procedure)
    previous = procedure.documents.first()
    stored = documents.store(procedure, document, access=access)
    procedure.updated_at = timezone.now()
    procedure.save(update_fields=["updated_at"])
    history.record(
        procedure,
        access=access,
        event="document",
        changes={
            "document": [
                previous.filename if previous else None,
                stored.filename,
            ]  # fmt: skip
        },
    )
    audit_record(
        actor_id=access.actor_id,
        action="procedure.document",
        obj=procedure,
        organisation_id=procedure.organisation_id,
        details={"sha256": stored.sha256, "size": stored.size},
    )
    return procedure
