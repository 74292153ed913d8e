"""The incidents' automated checks, each met, partly met and not met on
a department's incidents: notified within 72 hours, graded within 3
days, actions from incidents closed on time. Another department's
records never count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.actions import services as action_services
from steward.controls.checks import REGISTRY, Outcome, run_check
from steward.incidents import services
from steward.incidents.models import Incident
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.incidents.factories import graded, report
from tests.world import World

pytestmark = pytest.mark.django_db

NOTIFIED = "incidents-notified-in-72-hours"
GRADED = "incidents-graded-in-time"
ACTIONS = "incident-actions-on-time"


def _run(world: World, name: str):  # type: ignore[no-untyped-def]
    return run_check(
        name,
        access=access_for_user(world.a.people[Role.SIRO]),
        organisation=world.a.org,
    )


def _ago(hours: float) -> dict[str, dt.datetime]:
    aware = timezone.now() - dt.timedelta(hours=hours)
    return {"aware_at": aware, "occurred_at": aware - dt.timedelta(hours=1)}


def _notify(dept, incident: Incident) -> None:  # type: ignore[no-untyped-def]
    services.notification_make(
        access=access_for_user(dept.people[Role.GUARDIAN]),
        incident=incident,
        recipient="ico",
        phase="initial",
        delay_reason="Found late in the post room",
    )


def test_checks_are_registered_with_real_requirements() -> None:
    assert {NOTIFIED, GRADED, ACTIONS} <= set(REGISTRY)
    assert REGISTRY[GRADED].title == (
        "Every incident is graded within 3 days of awareness"
    )


def test_notified_in_72_hours(world: World) -> None:
    assert _run(world, NOTIFIED).outcome == Outcome.NOT_APPLICABLE
    # Notified at once: met. Another, still inside its 72 hours and not
    # yet notified, does not count yet.
    _notify(world.a, graded(world.a, **_ago(2)))
    graded(world.a, **_ago(10))
    # B's late incident never counts for A.
    _notify(world.b, graded(world.b, **_ago(100)))
    result = _run(world, NOTIFIED)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.MET,
        1,
        0,
    )
    # Notified after 100 hours: partly met.
    _notify(world.a, graded(world.a, **_ago(100)))
    result = _run(world, NOTIFIED)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.PARTLY_MET,
        2,
        1,
    )
    assert result.summary == (
        "1 of 2 notifiable incidents in the last year were not notified "
        "to the ICO within 72 hours of awareness"
    )


def test_notified_in_72_hours_not_met(world: World) -> None:
    graded(world.a, **_ago(80))  # deadline passed, nothing sent
    _notify(world.a, graded(world.a, **_ago(90)))  # sent late
    result = _run(world, NOTIFIED)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.NOT_MET,
        2,
        2,
    )


def test_graded_in_time(world: World) -> None:
    graded(world.a, **_ago(1))
    report(world.a, **_ago(20))  # ungraded, still inside its 3 days
    result = _run(world, GRADED)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.MET,
        1,
        0,
    )
    late = graded(world.a, **_ago(24 * 6))
    Incident.objects.filter(pk=late.pk).update(
        first_graded_at=late.aware_at + dt.timedelta(days=4)
    )
    result = _run(world, GRADED)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.PARTLY_MET,
        2,
        1,
    )


def test_graded_in_time_not_met(world: World) -> None:
    report(world.a, **_ago(24 * 4))
    result = _run(world, GRADED)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.NOT_MET,
        1,
        1,
    )
    assert result.links == {"ungraded": "/incidents/?status=reported"}


def test_a_regrade_does_not_make_the_first_grade_late(world: World) -> None:
    incident = graded(world.a, **_ago(24 * 10))
    first = Incident.objects.get(pk=incident.pk).first_graded_at
    services.incident_grade(
        access=access_for_user(world.a.people[Role.GUARDIAN]),
        incident=incident,
        likelihood=4,
        severity=3,
    )
    assert Incident.objects.get(pk=incident.pk).first_graded_at == first


def _action(world: World, due_days: int, incident: Incident | None = None):  # type: ignore[no-untyped-def]
    incident = incident or graded(world.a)
    return action_services.action_create(
        access=access_for_user(world.a.people[Role.GUARDIAN]),
        organisation=world.a.org,
        title="Encrypt every laptop",
        owner=world.a.people[Role.IAO],
        due=timezone.localdate() + dt.timedelta(days=due_days),
        source_kind="incident",
        source_id=incident.pk,
    )


def _done(world: World, action) -> None:  # type: ignore[no-untyped-def]
    action_services.action_update(
        access=access_for_user(world.a.people[Role.GUARDIAN]),
        action=action,
        status="done",
    )


def test_incident_actions_on_time(world: World) -> None:
    _done(world, _action(world, 5))  # done early
    _action(world, 10)  # open, not yet due: does not count
    result = _run(world, ACTIONS)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.MET,
        1,
        0,
    )
    _done(world, _action(world, -3))  # done three days late
    result = _run(world, ACTIONS)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.PARTLY_MET,
        2,
        1,
    )


def test_incident_actions_on_time_not_met(world: World) -> None:
    _action(world, -1)  # open and overdue
    # An action not raised on an incident is not counted.
    action_services.action_create(
        access=access_for_user(world.a.people[Role.GUARDIAN]),
        organisation=world.a.org,
        title="Unrelated",
        owner=world.a.people[Role.IAO],
        due=timezone.localdate() - dt.timedelta(days=9),
    )
    result = _run(world, ACTIONS)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.NOT_MET,
        1,
        1,
    )
