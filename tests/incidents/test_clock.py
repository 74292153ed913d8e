"""The 72-hour clock: elapsed hours from awareness, shown in London time,
right across the changes of the clocks."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.incidents.clock import clock, deadline, from_london, london

UTC = dt.UTC


def test_deadline_across_the_last_sunday_of_october() -> None:
    """Aware on Friday 25 October 2024 at 10am BST; the clocks go back on
    Sunday 27th, so 72 hours later is 9am GMT on Monday."""
    aware = from_london(dt.datetime(2024, 10, 25, 10, 0))
    due = deadline(aware)
    assert due == dt.datetime(2024, 10, 28, 9, 0, tzinfo=UTC)
    assert due - aware == dt.timedelta(hours=72)
    assert london(due) == "Monday 28 October 2024, 9:00am GMT"


def test_deadline_across_the_last_sunday_of_march() -> None:
    """Aware on Friday 29 March 2024 at 10am GMT; the clocks go forward on
    Sunday 31st, so 72 hours later is 11am BST on Monday."""
    aware = from_london(dt.datetime(2024, 3, 29, 10, 0))
    due = deadline(aware)
    assert due == dt.datetime(2024, 4, 1, 10, 0, tzinfo=UTC)
    assert london(due) == "Monday 1 April 2024, 11:00am BST"


def test_deadline_without_a_change() -> None:
    aware = from_london(dt.datetime(2024, 6, 3, 14, 30))
    assert london(deadline(aware)) == "Thursday 6 June 2024, 2:30pm BST"


@pytest.mark.parametrize("hour", range(24))
@pytest.mark.parametrize(
    "day", [dt.date(2024, 10, 26), dt.date(2024, 10, 27), dt.date(2024, 3, 31)]
)
def test_awareness_at_any_hour_gives_72_elapsed_hours(
    day: dt.date, hour: int
) -> None:
    aware = dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)
    assert deadline(aware) - aware == dt.timedelta(hours=72)


def test_awareness_in_the_repeated_hour_of_october() -> None:
    """1:30am on 27 October 2024 happens twice; the first (BST) is taken."""
    aware = from_london(dt.datetime(2024, 10, 27, 1, 30))
    assert aware.astimezone(UTC) == dt.datetime(
        2024, 10, 27, 0, 30, tzinfo=UTC
    )
    assert london(deadline(aware)) == "Wednesday 30 October 2024, 12:30am GMT"


def test_naive_awareness_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline(dt.datetime(2024, 1, 1))


AWARE = dt.datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours_after", "state"),
    [
        (0, "running"),
        (47, "running"),
        (48, "warning"),
        (65, "warning"),
        (66, "urgent"),
        (72, "urgent"),
        (73, "overdue"),
    ],
)
def test_warnings_as_the_deadline_nears(hours_after: int, state: str) -> None:
    now = AWARE + dt.timedelta(hours=hours_after)
    assert clock(aware_at=AWARE, now=now).state == state


def test_clock_text() -> None:
    now = AWARE + dt.timedelta(hours=70, minutes=15)
    assert clock(aware_at=AWARE, now=now).text == (
        "1 hour 45 minutes left: notify the ICO by Thursday 6 June 2024, "
        "10:00am BST"
    )
    late = clock(aware_at=AWARE, now=AWARE + dt.timedelta(hours=75))
    assert late.text.startswith("Overdue by 3 hours 0 minutes")
    assert "reasons for the delay" in late.text


def test_clock_stops_when_notified() -> None:
    result = clock(
        aware_at=AWARE,
        now=AWARE + dt.timedelta(hours=100),
        notified_at=AWARE + dt.timedelta(hours=80),
    )
    assert result.state == "stopped"
    assert result.text.startswith("ICO notified late")
