"""Every write to action plans.

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only, required) and records exactly one audit event
holding codes and dates only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.accounts.models import User
from steward.actions import permissions
from steward.actions.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
)
from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.organisations.access import Access
from steward.organisations.models import Organisation

# An action due further ahead than this is a plan nobody will hold to.
MAX_HORIZON = dt.timedelta(days=5 * 366)


def _audit(access: Access, verb: str, action: Action, **details: Any) -> None:
    audit_record(
        actor_id=access.actor_id,
        action=f"action.{verb}",
        obj=action,
        organisation_id=action.organisation_id,
        details={"source": action.source_kind or None, **details},
    )


def _check_owner(
    organisation: Organisation, owner: User | None
) -> dict[str, str]:
    if owner is None:
        return {"owner": "Choose who owns the action"}
    eligible = {
        u.pk for u in permissions.eligible_owners(organisation=organisation)
    }
    if owner.pk not in eligible:
        return {"owner": "The owner must hold a role in this organisation"}
    return {}


def _check_due(due: dt.date | None, *, today: dt.date) -> dict[str, str]:
    if due is None:
        return {"due": "Enter the date the action is due"}
    if due > today + MAX_HORIZON:
        return {"due": "The due date must be within 5 years"}
    return {}


@transaction.atomic
def action_create(
    *,
    access: Access,
    organisation: Organisation,
    title: str,
    owner: User | None,
    due: dt.date | None,
    description: str = "",
    source_kind: str = "",
    source_id: int | None = None,
) -> Action:
    """Raise an action in an organisation, optionally on a source record."""
    if not permissions.can_plan(access=access, organisation=organisation):
        raise Forbidden("You cannot raise actions in this organisation")
    today = timezone.localdate()
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = "Enter what needs to be done"
    elif len(title) > 200:
        errors["title"] = "The action must be 200 characters or fewer"
    errors |= _check_owner(organisation, owner)
    errors |= _check_due(due, today=today)
    if errors:
        raise Invalid(errors)
    now = timezone.now()
    action = Action.objects.create(
        organisation=organisation,
        title=title,
        description=description.strip(),
        owner=owner,
        due=due,
        source_kind=source_kind,
        source_id=source_id,
        created_by_id=access.user_id,
        created_at=now,
        updated_at=now,
    )
    _audit(access, "create", action, due=due.isoformat() if due else None)
    return action


def _status_problem(
    access: Access, action: Action, status: str, note: str
) -> dict[str, str]:
    if status not in ActionStatus.values:
        return {"status": "Choose a status from the list"}
    if action.status not in OPEN_STATUSES and not permissions.can_plan(
        access=access, organisation=action.organisation
    ):
        return {"status": "Only a manager can reopen a closed action"}
    if status == ActionStatus.CANCELLED and not note.strip():
        return {"note": "Say in the note why the action is cancelled"}
    return {}


@transaction.atomic
def action_update(
    *,
    access: Access,
    action: Action,
    status: str | None = None,
    due: dt.date | None = None,
    owner: User | None = None,
    note: str = "",
) -> Action:
    """Change an action's status, due date or owner, with a note. Closed
    actions (done or cancelled) may be reopened by a manager only."""
    action = (
        Action.objects.select_for_update()
        .select_related("organisation", "owner")
        .get(pk=action.pk)
    )
    if not permissions.can_change(access=access, action=action):
        raise Forbidden("You cannot change this action")
    errors: dict[str, str] = {}
    changes: dict[str, list[Any]] = {}
    if status is not None and status != action.status:
        problem = _status_problem(access, action, status, note)
        if problem:
            errors.update(problem)
        else:
            changes["status"] = [action.status, status]
    if due is not None and due != action.due:
        errors |= _check_due(due, today=timezone.localdate())
        changes["due"] = [action.due.isoformat(), due.isoformat()]
    if owner is not None and owner.pk != action.owner_id:
        errors |= _check_owner(action.organisation, owner)
        changes["owner"] = [action.owner.full_name, owner.full_name]
    if errors:
        raise Invalid(errors)
    if not changes and not note.strip():
        raise Invalid({"note": "Change something or add a note"})
    now = timezone.now()
    if "status" in changes:
        action.status = status
        action.closed_at = None if status in OPEN_STATUSES else now
    if "due" in changes:
        action.due = due
    if "owner" in changes:
        action.owner = owner
    action.updated_at = now
    action.save()
    ActionUpdate.objects.create(
        action=action,
        at=now,
        by_id=access.user_id,
        by_label=access.actor_label,
        changes=changes,
        note=note.strip(),
    )
    _audit(
        access,
        "update",
        action,
        status=action.status,
        fields=",".join(sorted(changes)) or None,
    )
    return action
