from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.actions import selectors, services
from steward.actions.models import ActionStatus, ActionUpdate
from steward.audit.models import AuditEvent
from steward.common.errors import Forbidden, Invalid
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.actions.factories import raise_action
from tests.world import World

pytestmark = pytest.mark.django_db


def _as(user):  # type: ignore[no-untyped-def]
    return access_for_user(user)


def test_a_guardian_raises_an_action_for_an_iao(world: World) -> None:
    action = raise_action(world.a)
    assert action.status == ActionStatus.OPEN
    assert action.owner == world.a.people[Role.IAO]
    assert action.created_by == world.a.people[Role.GUARDIAN]
    event = AuditEvent.objects.get(action="action.create")
    assert event.object_id == str(action.pk)
    assert event.organisation_id == world.a.org.pk
    assert "Zanzibarian" not in str(event.details)


def test_staff_cannot_raise_actions(world: World) -> None:
    with pytest.raises(Forbidden):
        raise_action(world.a, access=_as(world.a.people[Role.STAFF]))


def test_nobody_raises_actions_in_another_department(world: World) -> None:
    with pytest.raises(Forbidden):
        raise_action(world.a, access=_as(world.b.people[Role.SIRO]))


def test_the_owner_must_hold_a_role_in_the_organisation(world: World) -> None:
    with pytest.raises(Invalid) as exc:
        raise_action(world.a, owner=world.b.people[Role.IAO])
    assert exc.value.errors == {
        "owner": "The owner must hold a role in this organisation"
    }


def test_the_regulator_cannot_own_an_action(world: World) -> None:
    with pytest.raises(Invalid):
        raise_action(world.a, owner=world.auditor)


def test_bad_input_names_every_field_and_changes_nothing(world: World) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(Invalid) as exc:
        raise_action(world.a, title="  ", owner=None, due=None)
    assert set(exc.value.errors) == {"title", "owner", "due"}
    assert AuditEvent.objects.count() == before


def test_a_due_date_beyond_five_years_is_refused(world: World) -> None:
    with pytest.raises(Invalid) as exc:
        raise_action(
            world.a, due=timezone.localdate() + dt.timedelta(days=6 * 366)
        )
    assert "due" in exc.value.errors


def test_the_owner_updates_their_action_and_history_is_kept(
    world: World,
) -> None:
    action = raise_action(world.a)
    owner = _as(world.a.people[Role.IAO])
    services.action_update(
        access=owner, action=action, status="in_progress", note="Ordered"
    )
    services.action_update(access=owner, action=action, status="done")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.closed_at is not None
    updates = list(ActionUpdate.objects.filter(action=action).order_by("at"))
    assert [u.changes for u in updates] == [
        {"status": ["open", "in_progress"]},
        {"status": ["in_progress", "done"]},
    ]
    assert updates[0].note == "Ordered"
    assert AuditEvent.objects.filter(action="action.update").count() == 2


def test_other_staff_cannot_change_someone_elses_action(world: World) -> None:
    action = raise_action(world.a)
    with pytest.raises(Forbidden):
        services.action_update(
            access=_as(world.a.people[Role.STAFF]),
            action=action,
            status="done",
        )


def test_cancelling_needs_a_reason(world: World) -> None:
    action = raise_action(world.a)
    with pytest.raises(Invalid) as exc:
        services.action_update(
            access=_as(world.a.people[Role.GUARDIAN]),
            action=action,
            status="cancelled",
        )
    assert exc.value.errors == {
        "note": "Say in the note why the action is cancelled"
    }
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_an_update_that_changes_nothing_is_refused(world: World) -> None:
    action = raise_action(world.a)
    with pytest.raises(Invalid):
        services.action_update(
            access=_as(world.a.people[Role.GUARDIAN]),
            action=action,
            status=action.status,
        )


def test_only_a_planner_reopens_a_closed_action(world: World) -> None:
    action = raise_action(world.a, owner=world.a.people[Role.STAFF])
    staff = _as(world.a.people[Role.STAFF])
    services.action_update(access=staff, action=action, status="done")
    with pytest.raises(Invalid):
        services.action_update(access=staff, action=action, status="open")
    services.action_update(
        access=_as(world.a.people[Role.GUARDIAN]),
        action=action,
        status="open",
        note="Not finished after all",
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert action.closed_at is None


def test_overdue_is_open_and_past_due(world: World) -> None:
    action = raise_action(world.a)
    action.due = timezone.localdate() - dt.timedelta(days=1)
    assert action.is_overdue
    action.status = ActionStatus.DONE
    assert not action.is_overdue


def test_who_sees_which_actions(world: World) -> None:
    mine = raise_action(world.a, owner=world.a.people[Role.STAFF])
    other = raise_action(world.a)
    raise_action(world.b)

    def seen(user):  # type: ignore[no-untyped-def]
        return set(selectors.action_list(access=_as(user)))

    assert seen(world.a.people[Role.GUARDIAN]) == {mine, other}
    assert seen(world.a.people[Role.STAFF]) == {mine}
    assert seen(world.auditor) == set()
    assert len(seen(world.central)) == 3


def test_filters(world: World) -> None:
    late = raise_action(world.a, title="Late")
    late.due = timezone.localdate() - dt.timedelta(days=3)
    late.save()
    raise_action(world.a, title="On time")
    guardian = _as(world.a.people[Role.GUARDIAN])
    overdue = selectors.action_list(
        access=guardian, filters=selectors.Filters(overdue=True)
    )
    assert [a.title for a in overdue] == ["Late"]
    found = selectors.action_list(
        access=guardian, filters=selectors.Filters(search="on ti")
    )
    assert [a.title for a in found] == ["On time"]


def test_actions_for_a_source(world: World) -> None:
    raised = raise_action(world.a, source_kind="incident", source_id=7)
    raise_action(world.a)
    guardian = _as(world.a.people[Role.GUARDIAN])
    assert list(selectors.actions_for_source(guardian, "incident", 7)) == [
        raised
    ]
    outsider = _as(world.b.people[Role.GUARDIAN])
    assert list(selectors.actions_for_source(outsider, "incident", 7)) == []
