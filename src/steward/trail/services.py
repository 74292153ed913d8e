"""Recording data-copy reports from agents."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from steward.audit.publishing import ledger_signer, open_ledger
from steward.audit.services import audit_record
from steward.common.errors import Forbidden
from steward.ledger import verify_bundle
from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role
from steward.trail.models import CopyReport, LedgerVerification

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


@transaction.atomic
def ledger_verify(*, access: Access) -> LedgerVerification:
    """Export the whole ledger and verify it offline, against the last
    checkpoint a previous verification kept; record the result."""
    if not access.has_any((Role.AUDITOR, Role.CENTRAL)):
        raise Forbidden(
            "Only the regulator and the central team verify the ledger"
        )
    previous = LedgerVerification.objects.filter(ok=True).first()
    with tempfile.TemporaryDirectory() as tmp, open_ledger() as log:
        bundle = Path(tmp) / "ledger.zip"
        note = log.signed_checkpoint()
        if note is None:
            report = None
        else:
            log.export_bundle(bundle, note)
            report = verify_bundle(
                bundle,
                ledger_signer().verifier,
                older=previous.checkpoint if previous else None,
            )
    if report is None:
        result = LedgerVerification.objects.create(
            size=0, ok=True, reason="Nothing signed yet"
        )
    else:
        where = (
            f" (entry {report.first_bad_index})"
            if report.first_bad_index is not None
            else ""
        )
        result = LedgerVerification.objects.create(
            size=report.size,
            ok=report.ok,
            reason=(report.reason + where)[:300],
            checkpoint=note if report.ok else "",
        )
    audit_record(
        actor_id=access.actor_id,
        action="ledger.verify",
        obj=result,
        organisation_id=None,
        details={"ok": result.ok, "size": result.size},
    )
    return result
