"""Reminders to action owners, every morning, in the background worker.

One task is kept queued for the next 08:00 UK time; when it runs it sends
the reminders (``reminders.send_reminders``: each action at most once a
week) and queues the next. ``steward worker`` queues the first.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from steward.actions.reminders import send_reminders
from steward.common import recurring

MORNING = dt.time(8, 0)


def next_morning(now: dt.datetime | None = None) -> dt.datetime:
    """The next 08:00 in Europe/London after ``now`` (aware)."""
    local = timezone.localtime(now or timezone.now())
    day = (
        local.date()
        if local.time() < MORNING
        else (local.date() + dt.timedelta(days=1))
    )
    return dt.datetime.combine(
        day, MORNING, tzinfo=timezone.get_default_timezone()
    )


def schedule_reminders() -> bool:
    """Queue the next morning's reminders unless they are queued."""
    return recurring.ensure_queued(remind_owners_daily, next_morning())


@task()
def remind_owners_daily() -> int:
    """Send the reminders due today, then queue tomorrow's."""
    try:
        return send_reminders()
    finally:
        schedule_reminders()
