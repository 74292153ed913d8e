"""The worker reminds action owners every morning at 08:00 UK time and
keeps the next morning's run queued."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from steward.actions import tasks
from tests.actions.factories import raise_action
from tests.world import World

TASK = tasks.remind_owners_daily.module_path


def test_next_morning_is_eight_o_clock_uk_time() -> None:
    winter = dt.datetime(2026, 1, 10, 7, 59, tzinfo=dt.UTC)
    assert tasks.next_morning(winter) == dt.datetime(
        2026, 1, 10, 8, 0, tzinfo=dt.UTC
    )
    after = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC)
    assert tasks.next_morning(after).date() == dt.date(2026, 1, 11)
    # In summer 08:00 in London is 07:00 UTC.
    summer = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    assert tasks.next_morning(summer).astimezone(dt.UTC) == dt.datetime(
        2026, 7, 2, 7, 0, tzinfo=dt.UTC
    )


def test_nothing_is_queued_without_a_worker_backend() -> None:
    assert tasks.schedule_reminders() is False


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_reminders_and_queues_tomorrows(
    world: World, settings
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
    raise_action(world.a, due=timezone.localdate() + dt.timedelta(days=2))
    assert tasks.schedule_reminders() is True
    assert tasks.schedule_reminders() is True  # still one queued
    queued = DBTaskResult.objects.filter(task_path=TASK, status="READY")
    assert queued.count() == 1
    # Run it now rather than tomorrow morning.
    queued.update(run_after=timezone.now() - dt.timedelta(seconds=1))
    mail.outbox.clear()
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        "default",
        verbosity=0,
    )
    assert len(mail.outbox) == 1
    assert "due" in mail.outbox[0].subject
    following = DBTaskResult.objects.get(task_path=TASK, status="READY")
    assert following.run_after == tasks.next_morning()
