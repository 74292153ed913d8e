"""Writing a procedure's history: one row per change, in the service's
own transaction. Called by the procedure services only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.controls.models import Procedure
from steward.controls.procedure_models import ProcedureChange
from steward.organisations.access import Access

# The fields a reader sees in the history, and their labels.
FIELDS = {
    "title": "Title",
    "version": "Version",
    "owner": "Owner",
    "next_review": "Next review",
    "document_url": "Link to the document",
    "requirements": "Requirements it implements",
    "status": "Status",
    "document": "Document",
}


def shown(value: Any) -> Any:
    """A value as the history keeps it: plain JSON."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "full_name"):
        return value.full_name
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value)
    return value


def snapshot(procedure: Procedure, urns: list[str] | None = None) -> dict:
    return {
        "title": procedure.title,
        "version": procedure.version,
        "owner": procedure.owner.full_name,
        "next_review": procedure.next_review.isoformat()
        if procedure.next_review
        else None,
        "document_url": procedure.document_url,
        "requirements": sorted(
            urns
            if urns is not None
            else procedure.links.values_list("urn", flat=True)
        ),
        "status": procedure.status,
    }


def diff(before: dict, after: dict) -> dict[str, list[Any]]:
    return {
        k: [before.get(k), after[k]]
        for k in after
        if before.get(k) != after[k]
    }


def record(
    procedure: Procedure,
    *,
    access: Access,
    event: str,
    changes: dict[str, list[Any]],
    reason: str = "",
) -> ProcedureChange:
    return ProcedureChange.objects.create(
        procedure=procedure,
        event=event,
        changes=changes,
        reason=reason[:500],
        by_id=access.user_id,
        actor_label=access.actor_label[:200],
        at=timezone.now(),
    )


def _text(value: Any) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe(change: ProcedureChange) -> list[tuple[str, str, str]]:
    """Each changed field as (label, before, after) for the page."""
    return [
        (FIELDS.get(k, k), _text(pair[0]), _text(pair[1]))
        for k, pair in change.changes.items()
    ]
