"""Every read of action plans, scoped to the viewer.

Planners (SIRO, IAO, guardian, central) see every action in their subtree;
anyone else sees the actions they own. The regulator sees none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from steward.actions.models import OPEN_STATUSES, Action, ActionStatus
from steward.actions.permissions import OWNER_ROLES, PLANNERS
from steward.common.errors import NotFound
from steward.organisations.access import Access

SORTS = {
    "due": ("due", "pk"),
    "-due": ("-due", "-pk"),
    "organisation": ("organisation__path", "due", "pk"),
    "updated": ("-updated_at", "-pk"),
}


@dataclass(frozen=True)
class Filters:
    search: str = ""
    status: str = ""  # a status, or "open" for open and in progress
    overdue: bool = False
    mine: bool = False
    organisation: str = ""  # code; its subtree
    source_kind: str = ""
    sort: str = "due"


def _scope(access: Access) -> Q:
    mine = Q(owner_id=access.user_id) if access.user_id else Q(pk__in=[])
    return access.visible_q("organisation__", roles=PLANNERS) | (
        mine & access.visible_q("organisation__", roles=OWNER_ROLES)
    )


def action_list(
    *, access: Access, filters: Filters | None = None
) -> QuerySet[Action]:
    f = filters or Filters()
    qs = Action.objects.filter(_scope(access))
    if f.search:
        qs = qs.filter(title__icontains=f.search)
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status in ActionStatus.values:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due__lt=timezone.localdate())
    if f.mine:
        qs = qs.filter(owner_id=access.user_id)
    if f.organisation:
        qs = qs.filter(
            Q(organisation__code=f.organisation)
            | Q(organisation__path__contains=f"/{f.organisation}/")
        )
    if f.source_kind:
        qs = qs.filter(source_kind=f.source_kind)
    return qs.select_related("organisation", "owner").order_by(
        *SORTS.get(f.sort, SORTS["due"])
    )


def action_get(*, access: Access, pk: int) -> Action:
    try:
        return (
            Action.objects.filter(_scope(access))
            .select_related("organisation", "owner", "created_by")
            .get(pk=pk)
        )
    except Action.DoesNotExist:
        raise NotFound("No such action") from None


def actions_for_source(
    access: Access, source_kind: str, source_id: int
) -> QuerySet[Action]:
    """The actions raised on one record, as far as the viewer may see."""
    return (
        Action.objects.filter(_scope(access))
        .filter(source_kind=source_kind, source_id=source_id)
        .select_related("organisation", "owner")
        .order_by("due", "pk")
    )
