from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from steward.actions.reminders import send_reminders
from steward.organisations.models import Role
from tests.actions.factories import raise_action
from tests.world import World

pytestmark = pytest.mark.django_db


def test_owners_are_reminded_of_due_and_overdue_actions_once_a_week(
    world: World,
) -> None:
    today = timezone.localdate()
    soon = raise_action(
        world.a, title="Soon", due=today + dt.timedelta(days=3)
    )
    late = raise_action(world.a, title="Late")
    late.due = today - dt.timedelta(days=2)
    late.save()
    raise_action(world.a, title="Later", due=today + dt.timedelta(days=40))
    mail.outbox.clear()

    assert send_reminders(today) == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.a.people[Role.IAO].email]
    assert f"ACT-{soon.pk} Soon" in message.body
    assert f"ACT-{late.pk} Late" in message.body
    assert "overdue since" in message.body
    assert "Later" not in message.body

    assert send_reminders(today + dt.timedelta(days=1)) == 0
    assert send_reminders(today + dt.timedelta(days=7)) == 2
