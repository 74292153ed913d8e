"""Every write to the catalogue and to organisations' procedures.

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only, required) and records one audit event. The
catalogue is government-wide: only the central team (or the system actor
``system_access("catalogue-loader")``) loads it. A loaded framework version
is never changed or deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from steward.accounts.models import User
from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.controls.models import (
    Framework,
    FrameworkVersion,
    Mapping,
    Procedure,
    ProcedureLink,
    ProcedureStatus,
    Requirement,
)
from steward.controls.evidence import CheckedFile
from steward.controls.procedures import documents, history
from steward.controls.schema import FrameworkFile
from steward.organisations.access import Access
from steward.organisations.models import Membership, Organisation, Role

# Who keeps an organisation's procedures.
PROCEDURE_KEEPERS = (Role.SIRO, Role.GUARDIAN, Role.CENTRAL)


@dataclass(frozen=True)
class LoadResult:
    version: FrameworkVersion
    created: bool


@transaction.atomic
def catalogue_load(*, access: Access, spec: FrameworkFile) -> LoadResult:
    """Install one framework version from its data file, or confirm that it
    is already installed. A new version is added beside the old ones and
    becomes current; the old rows are untouched, so whatever was recorded
    against them stays readable. Different content under a version already
    loaded is refused: give the file a new version instead."""
    if not access.has_any([Role.CENTRAL]):
        raise Forbidden("Only the central team loads the catalogue")
    info = spec.framework
    framework, _ = Framework.objects.select_for_update().get_or_create(
        slug=info.slug,
        defaults={"title": info.title, "publisher": info.publisher},
    )
    existing = FrameworkVersion.objects.filter(
        framework=framework, version=info.version
    ).first()
    if existing is not None:
        if existing.digest != spec.digest:
            raise Invalid(
                {
                    "version": (
                        f"{info.slug} {info.version} is already loaded with "
                        "different content; give the file a new version"
                    )
                }
            )
        created = False
        version = existing
        action = "catalogue.confirm"
    else:
        framework.versions.filter(is_current=True).update(is_current=False)
        framework.title = info.title
        framework.publisher = info.publisher
        framework.save(update_fields=["title", "publisher"])
        version = FrameworkVersion.objects.create(
            framework=framework,
            version=info.version,
            title=info.title,
            published=info.published,
            source=info.source,
            licence=info.licence,
            digest=spec.digest,
            is_current=True,
            loaded_at=timezone.now(),
        )
        _create_requirements(version, spec)
        created = True
        action = "catalogue.load"
    audit_record(
        actor_id=access.actor_id,
        action=action,
        obj=version,
        organisation_id=None,
        details={
            "framework": info.slug,
            "version": info.version,
            "digest": spec.digest,
            "requirements": len(spec.requirements),
        },
    )
    return LoadResult(version=version, created=created)


def _create_requirements(
    version: FrameworkVersion, spec: FrameworkFile
) -> None:
    by_urn: dict[str, Requirement] = {}
    # Parents precede children in the file (the schema checks it), so one
    # pass creates each row with its parent already saved.
    for position, item in enumerate(spec.requirements):
        by_urn[item.urn] = Requirement.objects.create(
            version=version,
            urn=item.urn,
            ref=item.ref,
            kind=item.kind,
            title=item.title,
            text=item.text,
            source=item.source,
            mandatory=item.mandatory,
            parent=by_urn[item.parent] if item.parent else None,
            position=position,
        )
    Mapping.objects.bulk_create(
        Mapping(
            source=by_urn[m.source], target_urn=m.target, relation=m.relation
        )
        for m in spec.mappings
    )


def _check_keeper(access: Access, organisation: Organisation) -> None:
    if not access.has_role(PROCEDURE_KEEPERS, organisation):
        raise Forbidden("Only a SIRO or Data Guardian keeps procedures")


def _clean(
    *,
    title: str,
    version: str,
    next_review: dt.date | None,
    urns: list[str],
    current_only: bool = False,
) -> list[str]:
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the procedure's title"
    if not version.strip():
        errors["version"] = "Enter the procedure's version, like 1.0"
    if next_review is None:
        errors["next_review"] = "Enter the date of the next review"
    wanted = sorted(set(urns))
    found = Requirement.objects.filter(urn__in=wanted)
    if current_only:
        # New links are chosen from the current catalogue.
        found = found.filter(version__is_current=True)
    known = set(found.values_list("urn", flat=True))
    unknown = [u for u in wanted if u not in known]
    if unknown:
        errors["requirements"] = (
            "No such requirement in the current catalogue: "
            + ", ".join(unknown)
        )
    if errors:
        raise Invalid(errors)
    return wanted


def _check_owner(owner: User, organisation: Organisation) -> None:
    department = organisation.department() or organisation
    in_tree = Membership.objects.filter(
        user=owner,
        revoked_at__isnull=True,
        organisation__path__startswith=department.path,
    ).exists()
    if not in_tree:
        raise Invalid({"owner": "The owner must work in this department"})


@transaction.atomic
def procedure_create(
    *,
    access: Access,
    organisation: Organisation,
    title: str,
    version: str,
    owner: User,
    next_review: dt.date | None,
    requirement_urns: list[str],
    document_url: str = "",
    document: CheckedFile | None = None,
) -> Procedure:
    """Record a procedure document and the requirements it implements,
    with the document itself (checked by ``evidence.check_file``) or a
    link to it."""
    _check_keeper(access, organisation)
    urns = _clean(
        title=title,
        version=version,
        next_review=next_review,
        urns=requirement_urns,
        current_only=True,
    )
    _check_owner(owner, organisation)
    now = timezone.now()
    procedure = Procedure.objects.create(
        organisation=organisation,
        title=title.strip(),
        version=version.strip(),
        owner=owner,
        next_review=next_review,
        document_url=document_url,
        created_at=now,
        updated_at=now,
    )
    ProcedureLink.objects.bulk_create(
        ProcedureLink(procedure=procedure, urn=u) for u in urns
    )
    changes = history.diff({}, history.snapshot(procedure, urns))
    details: dict[str, object] = {
        "requirements": len(urns),
        "version": procedure.version,
    }
    if document is not None:
        stored = documents.store(procedure, document, access=access)
        changes["document"] = [None, stored.filename]
        details |= {"sha256": stored.sha256, "size": stored.size}
    history.record(
        procedure, access=access, event="created", changes=changes
    )
    audit_record(
        actor_id=access.actor_id,
        action="procedure.create",
        obj=procedure,
        organisation_id=organisation.pk,
        details=details,
    )
    return procedure


@transaction.atomic
def procedure_review(
    *,
    access: Access,
    procedure: Procedure,
    version: str,
    next_review: dt.date | None,
) -> Procedure:
    """Record that a procedure was reviewed: its new version and the date
    of its next review."""
    _check_keeper(access, procedure.organisation)
    _clean(
        title=procedure.title,
        version=version,
        next_review=next_review,
        urns=[],
    )
    assert next_review is not None
    if next_review <= timezone.localdate():
        raise Invalid({"next_review": "The next review must be in the future"})
    before = history.snapshot(procedure)
    procedure.version = version.strip()
    procedure.next_review = next_review
    procedure.updated_at = timezone.now()
    procedure.save(update_fields=["version", "next_review", "updated_at"])
    history.record(
        procedure,
        access=access,
        event="reviewed",
        changes=history.diff(before, history.snapshot(procedure)),
    )
    audit_record(
        actor_id=access.actor_id,
        action="procedure.review",
        obj=procedure,
        organisation_id=procedure.organisation_id,
        details={"version": procedure.version},
    )
    return procedure


@transaction.atomic
def procedure_withdraw(
    *, access: Access, procedure: Procedure, reason: str = ""
) -> Procedure:
    """Withdraw a procedure: it is kept, but no longer covers anything."""
    _check_keeper(access, procedure.organisation)
    if procedure.status == ProcedureStatus.WITHDRAWN:
        raise Invalid({"status": "The procedure is already withdrawn"})
    procedure.status = ProcedureStatus.WITHDRAWN
    procedure.updated_at = timezone.now()
    procedure.save(update_fields=["status", "updated_at"])
    history.record(
        procedure,
        access=access,
        event="withdrawn",
        changes={"status": [ProcedureStatus.CURRENT, procedure.status]},
        reason=reason,
    )
    audit_record(
        actor_id=access.actor_id,
        action="procedure.withdraw",
        obj=procedure,
        organisation_id=procedure.organisation_id,
    )
    return procedure
