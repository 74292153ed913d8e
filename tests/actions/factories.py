"""Builders for actions in the test world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.actions import services
from steward.actions.models import Action
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.world import MARKER, Department


def raise_action(dept: Department, **overrides: Any) -> Action:
    kwargs: dict[str, Any] = {
        "access": access_for_user(dept.people[Role.GUARDIAN]),
        "organisation": dept.org,
        "title": f"Encrypt the {MARKER} laptops",
        "owner": dept.people[Role.IAO],
        "due": timezone.localdate() + dt.timedelta(days=30),
    }
    kwargs.update(overrides)
    return services.action_create(**kwargs)
