"""The audit hook: the one function every significant write calls."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from steward.audit.actions import ACTIONS
from steward.audit.models import AuditEvent
from steward.audit.tasks import publish_to_ledger

Scalar = str | int | bool | None

# Details are small: a few counts, codes and flags.
_MAX_DETAIL_KEYS = 20
_MAX_DETAIL_TEXT = 200


class AuditError(Exception):
    """An audit call was malformed; the write it belongs to must fail."""


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def state_digest(obj: models.Model) -> str:
    """SHA-256 of the record's fields as canonical JSON."""
    data = model_to_dict(obj)
    data["pk"] = obj.pk
    canonical = json.dumps(
        data, sort_keys=True, separators=(",", ":"), default=_json_default
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_details(details: dict[str, Any]) -> dict[str, Scalar]:
    if len(details) > _MAX_DETAIL_KEYS:
        raise AuditError("audit details hold more than 20 keys")
    for key, value in details.items():
        if not isinstance(value, str | int | bool | type(None)):
            raise AuditError(f"audit detail {key!r} is not a scalar")
        if isinstance(value, str) and len(value) > _MAX_DETAIL_TEXT:
            raise AuditError(f"audit detail {key!r} is too long")
    return details


def audit_record(
    *,
    actor_id: str,
    action: str,
    obj: models.Model,
    organisation_id: int | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record who did what to which record in which organisation.

    Must be called inside the transaction of the write it records, so that
    the two commit or roll back together. ``details`` holds codes, counts
    and flags only: never names, addresses or identifiers of people.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditError(
            "audit_record must run inside the write's transaction"
        )
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}")
    if not actor_id:
        raise AuditError("an audit event needs an actor")
    # The ledger is fed after commit, so a rolled-back write never
    # reaches it; a crash before then is caught up by the next run.
    transaction.on_commit(publish_to_ledger.enqueue)
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_id=actor_id,
        organisation_id=organisation_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        state_digest=state_digest(obj),
        details=_check_details(details or {}),
    )
