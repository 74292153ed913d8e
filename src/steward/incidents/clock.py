"""The statutory clock: notify the ICO without undue delay and, where
feasible, within 72 hours of becoming aware (UK GDPR Art 33(1),
policy.md §4.1); a later notification must give reasons for the delay.

The 72 hours are elapsed hours, counted in UTC, so a deadline that
crosses a change of the clocks is still 72 real hours away; it is shown
in Europe/London time (DESIGN.md: deadlines people see are in London
time), where it may read one hour earlier or later than the hour of
awareness.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
WINDOW = dt.timedelta(hours=72)
# Warnings as the deadline nears (Steward's defaults).
WARN = dt.timedelta(hours=24)
URGENT = dt.timedelta(hours=6)


def deadline(aware_at: dt.datetime) -> dt.datetime:
    """The deadline, as an aware UTC datetime."""
    if aware_at.tzinfo is None:
        raise ValueError("aware_at must be timezone-aware")
    return (aware_at.astimezone(dt.UTC) + WINDOW).astimezone(dt.UTC)


def london(moment: dt.datetime) -> str:
    """E.g. 'Monday 28 October 2024, 9:00am GMT'."""
    local = moment.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0")
    return (
        f"{local:%A} {local.day} {local:%B %Y}, {hour}:{local:%M}"
        f"{local.strftime('%p').lower()} {local.tzname()}"
    )


def from_london(local: dt.datetime) -> dt.datetime:
    """A wall-clock time in London as an aware datetime. In the repeated
    hour of October the first (BST) reading is taken; a time in the
    missing hour of March is read as if the clocks had not changed."""
    return local.replace(tzinfo=LONDON)


@dataclass(frozen=True)
class Clock:
    deadline: dt.datetime
    remaining: dt.timedelta  # negative once passed
    state: str  # "running", "warning", "urgent", "overdue", "stopped"
    text: str

    @property
    def tag_colour(self) -> str:
        return {
            "running": "govuk-tag--blue",
            "warning": "govuk-tag--yellow",
            "urgent": "govuk-tag--orange",
            "overdue": "govuk-tag--red",
            "stopped": "govuk-tag--grey",
        }[self.state]


def _hours(delta: dt.timedelta) -> str:
    total = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(total, 60)
    return f"{hours} hour{'s' * (hours != 1)} {minutes} minute" + (
        "s" * (minutes != 1)
    )


def clock(
    *,
    aware_at: dt.datetime,
    now: dt.datetime,
    notified_at: dt.datetime | None = None,
) -> Clock:
    """Where the clock stands at ``now`` (stopped once the ICO has been
    notified)."""
    due = deadline(aware_at)
    when = london(due)
    if notified_at is not None:
        late = notified_at > due
        return Clock(
            due,
            due - notified_at,
            "stopped",
            f"ICO notified {'late' if late else 'in time'}; the deadline "
            f"was {when}",
        )
    remaining = due - now
    if remaining < dt.timedelta(0):
        state = "overdue"
        text = (
            f"Overdue by {_hours(remaining)}: the deadline was {when}. A "
            "notification now must give the reasons for the delay."
        )
    else:
        state = (
            "urgent"
            if remaining <= URGENT
            else "warning"
            if remaining <= WARN
            else "running"
        )
        text = f"{_hours(remaining)} left: notify the ICO by {when}"
    return Clock(due, remaining, state, text)
