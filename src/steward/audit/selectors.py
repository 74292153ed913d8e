"""Reads of the audit trail, scoped to the viewer's organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from steward.audit.actions import ACTIONS
from steward.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilter:
    actor_id: str = ""
    action: str = ""
    organisation_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    object_type: str = ""
    object_id: str = ""


def event_list(
    *, actor_id: str, organisation_ids: QuerySet, where: EventFilter
) -> QuerySet[AuditEvent]:
    """Events in the given organisations, and the viewer's own events that
    belong to no organisation (such as setting up two-factor sign-in).

    ``organisation_ids`` is the viewer's scope as a query of organisation
    ids; the caller builds it, since this app sits below organisations.
    """
    qs = AuditEvent.objects.filter(
        Q(organisation_id__in=organisation_ids)
        | Q(organisation_id__isnull=True, actor_id=actor_id)
    )
    if where.actor_id:
        qs = qs.filter(actor_id=where.actor_id)
    if where.action:
        qs = qs.filter(action=where.action)
    if where.organisation_id is not None:
        qs = qs.filter(organisation_id=where.organisation_id)
    if where.since:
        qs = qs.filter(occurred_at__gte=where.since)
    if where.until:
        qs = qs.filter(occurred_at__lt=where.until)
    if where.object_type:
        qs = qs.filter(
            object_type=where.object_type, object_id=where.object_id
        )
    return qs


def describe(event: AuditEvent) -> str:
    action = ACTIONS.get(event.action)
    return action.message if action else event.action
