"""Builders for incidents in the test world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.incidents import services
from steward.incidents.models import Incident
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.world import MARKER, Department


def report(dept: Department, **overrides: Any) -> Incident:
    kwargs: dict[str, Any] = {
        "access": access_for_user(dept.people[Role.STAFF]),
        "organisation": dept.org,
        "summary": f"{MARKER} laptop stolen from a car",
        "description": "Left on the back seat; the window was smashed.",
        "aware_at": timezone.now() - dt.timedelta(hours=2),
        "occurred_at": timezone.now() - dt.timedelta(hours=20),
        "data_involved": "Case notes",
        "people_estimate": 300,
    }
    kwargs.update(overrides)
    return services.incident_report(**kwargs)


LAPTOP = {
    "kind": "lost_device",
    "on_premises": False,
    "special_category": True,
    "vulnerable": False,
    "financial": False,
    "individuals": 300,
    "records": 1200,
    "encrypted": False,
    "containment": "Remote wipe requested; police informed",
    "consequences": "Health details could be read by the thief",
}


def graded(
    dept: Department, facts: dict[str, Any] | None = None, **overrides: Any
) -> Incident:
    """A reported, completed and graded incident (notifiable with the
    default facts; not with ``ENCRYPTED``)."""
    incident = report(dept, **overrides)
    guardian = access_for_user(dept.people[Role.GUARDIAN])
    services.incident_complete(
        access=guardian, incident=incident, data=facts or LAPTOP
    )
    return services.incident_grade(
        access=guardian, incident=incident, likelihood=3, severity=2
    )


ENCRYPTED = LAPTOP | {"encrypted": True}
