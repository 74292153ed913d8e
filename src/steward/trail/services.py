"""Recording data-copy reports from agents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from steward.audit.services import audit_record
from steward.common.errors import Forbidden
from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role
from steward.trail.models import CopyReport

REPORTERS = (Role.STAFF, Role.GUARDIAN, Role.SIRO, Role.CENTRAL)


@transaction.atomic
def copy_report_record(
    *,
    access: Access,
    organisation: Organisation,
    idempotency_key: str,
    copied_at: datetime,
    device: str,
    destination: str,
    file_digests: list[str],
    byte_count: int,
    personal_data: dict[str, int],
    encrypted: bool,
    api_key_id: int | None = None,
) -> tuple[CopyReport, bool]:
    """Record one report; return it and whether it is new. A report whose
    idempotency key was seen before is returned as it was, unchanged."""
    if not access.has_role(REPORTERS, organisation):
        raise Forbidden("This key may not report copies for that organisation")
    existing = CopyReport.objects.filter(
        organisation=organisation, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing, False
    fields: dict[str, Any] = dict(
        organisation=organisation,
        idempotency_key=idempotency_key,
        copied_at=copied_at,
        device=device,
        destination=destination,
        file_count=len(file_digests),
        file_digests=file_digests,
        byte_count=byte_count,
        personal_data=personal_data,
        encrypted=encrypted,
        api_key_id=api_key_id,
    )
    try:
        with transaction.atomic():
            report = CopyReport.objects.create(**fields)
    except IntegrityError:
        # Another request with the same key won the race.
        return CopyReport.objects.get(
            organisation=organisation, idempotency_key=idempotency_key
        ), False
    audit_record(
        actor_id=access.actor_id,
        action="copy.record",
        obj=report,
        organisation_id=organisation.pk,
        details={
            "destination": destination,
            "files": len(file_digests),
            "bytes": byte_count,
            "encrypted": encrypted,
            "personal_data": sum(personal_data.values()),
        },
    )
    return report, True
