"""Assessment periods: UK government financial years and their quarters.

A financial year runs from 1 April to 31 March and is written "2008-09".
Its quarters are written "2008-09 Q1" (April to June) to "2008-09 Q4"
(January to March). Periods order by their start date, so a trend can mix
years and quarters and still read left to right in time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from steward.common.errors import Invalid

_PATTERN = re.compile(r"^(\d{4})-(\d{2})(?: Q([1-4]))?$")
_QUARTER_NAMES = {
    1: "April to June",
    2: "July to September",
    3: "October to December",
    4: "January to March",
}


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date
    quarter: int | None

    @property
    def label(self) -> str:
        if self.quarter is None:
            return f"Financial year {self.code}"
        return (
            f"{self.code} ({_QUARTER_NAMES[self.quarter]} {self.start.year})"
        )


def _year_code(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def parse(text: str) -> Period:
    """The period written ``text``; Invalid saying how to write one if it
    is not a financial year or quarter."""
    m = _PATTERN.match((text or "").strip())
    if m is None:
        raise Invalid(
            {
                "period": "Enter a financial year like 2008-09, or a quarter "
                "like 2008-09 Q1"
            }
        )
    year, short, quarter = int(m.group(1)), m.group(2), m.group(3)
    if not 1990 <= year <= 2100 or int(short) != (year + 1) % 100:
        raise Invalid(
            {
                "period": "A financial year runs from one year into the "
                "next, like 2008-09"
            }
        )
    if quarter is None:
        return Period(
            _year_code(year),
            dt.date(year, 4, 1),
            dt.date(year + 1, 3, 31),
            None,
        )
    q = int(quarter)
    start_month = 4 + 3 * (q - 1)
    start_year = year + (start_month - 1) // 12
    start_month = (start_month - 1) % 12 + 1
    start = dt.date(start_year, start_month, 1)
    end_month = start_month + 2  # the quarter's last month
    next_start = dt.date(start_year + end_month // 12, end_month % 12 + 1, 1)
    return Period(
        f"{_year_code(year)} Q{q}",
        start,
        next_start - dt.timedelta(days=1),
        q,
    )


def year_of(day: dt.date) -> Period:
    """The financial year that ``day`` falls in."""
    year = day.year if day.month >= 4 else day.year - 1
    return parse(_year_code(year))


def quarter_of(day: dt.date) -> Period:
    year = year_of(day)
    q = ((day.month - 4) % 12) // 3 + 1
    return parse(f"{year.code} Q{q}")


def recent(day: dt.date, years: int = 3) -> list[Period]:
    """The current and previous financial years, each followed by its
    quarters: the choices offered when starting an assessment."""
    current = year_of(day)
    out: list[Period] = []
    for back in range(years):
        y = parse(_year_code(current.start.year - back))
        out.append(y)
        out.extend(parse(f"{y.code} Q{q}") for q in range(1, 5))
    return out
