"""Cross-government themes: what the register says when counted by
category, department, month, kind of data and time to notify, for the
Cabinet Office (every department) and a SIRO (their own subtree).

Figures come from one query over the incidents the viewer may see in the
period (``selectors.themes_incidents``); this module only counts them
and lays the counts out as charts. Each chart is drawn as SVG on the
server (no script, no inline style: the Content Security Policy forbids
both) and comes with the same figures as a table.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from steward.incidents import clock
from steward.incidents.models import AnnualCategory, Kind, RootCause

SHORT_CATEGORY = {
    AnnualCategory.INSIDE: "I. Loss inside secured premises",
    AnnualCategory.OUTSIDE: "II. Loss outside secured premises",
    AnnualCategory.DISPOSAL: "III. Insecure disposal",
    AnnualCategory.DISCLOSURE: "IV. Unauthorised disclosure",
    AnnualCategory.OTHER: "V. Other",
}
# Time from awareness to the first ICO notification.
NOTIFY_BUCKETS = (
    (dt.timedelta(hours=24), "Within 24 hours"),
    (dt.timedelta(hours=48), "24 to 48 hours"),
    (dt.timedelta(hours=72), "48 to 72 hours"),
    (dt.timedelta(days=7), "72 hours to a week (late)"),
    (None, "More than a week (late)"),
)


# Periods


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: dt.date | None  # inclusive, London date
    end: dt.date | None  # exclusive

    @property
    def by_month(self) -> bool:
        """Months for a year or less; years for longer periods."""
        return self.start is not None


def _fy_start(day: dt.date) -> int:
    """The year in which the financial year holding ``day`` begins
    (government financial years run from 1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def periods(today: dt.date, earliest: dt.date | None) -> list[Period]:
    first_month = (today.replace(day=1) - dt.timedelta(days=335)).replace(
        day=1
    )
    found = [
        Period(
            "12m",
            "The last 12 months",
            first_month,
            today + dt.timedelta(days=1),
        )
    ]
    last = _fy_start(today)
    first = _fy_start(earliest) if earliest else last
    for year in range(last, max(first, last - 20) - 1, -1):
        found.append(
            Period(
                f"fy{year}",
                f"Financial year {year}–{str(year + 1)[-2:]}",
                dt.date(year, 4, 1),
                dt.date(year + 1, 4, 1),
            )
        )
    found.append(Period("all", "All time", None, None))
    return found


def period_for(key: str, today: dt.date, earliest: dt.date | None) -> Period:
    options = periods(today, earliest)
    return next((p for p in options if p.key == key), options[0])


# Charts


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    # Geometry in the SVG's own units.
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0
    text_x: int = 0
    text_y: int = 0
    label_x: int = 0
    label_y: int = 0

    @property
    def lines(self) -> list[str]:
        """A column's label on two lines ("Nov", "2026")."""
        return self.label.split(" ", 1)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    column: str  # the table's first column heading
    rows: tuple[tuple[str, int], ...]
    vertical: bool = False
    note: str = ""
    width: int = 640
    bars: tuple[Bar, ...] = field(default=())
    height: int = 0

    @property
    def total(self) -> int:
        return sum(c for _, c in self.rows)

    @property
    def description(self) -> str:
        """The chart in words, for the SVG's description."""
        parts = [f"{label}: {count}" for label, count in self.rows]
        return f"{self.title}. " + "; ".join(parts) + "."

    @property
    def table(self) -> dict[str, Any]:
        return {
            "caption": self.title,
            "captionClasses": "govuk-visually-hidden",
            "firstCellIsHeader": True,
            "head": [
                {"text": self.column},
                {"text": "Incidents", "format": "numeric"},
            ],
            "rows": [
                [{"text": label}, {"text": f"{count:,}", "format": "numeric"}]
                for label, count in self.rows
            ],
        }


LABEL_WIDTH = 270
ROW = 30
BAR = 20
PLOT = 300


def _horizontal(chart: Chart) -> Chart:
    top = max((c for _, c in chart.rows), default=0) or 1
    bars = []
    for i, (label, count) in enumerate(chart.rows):
        y = i * ROW + 5
        w = round(PLOT * count / top)
        bars.append(
            Bar(
                label=label,
                count=count,
                x=LABEL_WIDTH,
                y=y,
                width=w,
                height=BAR,
                text_x=LABEL_WIDTH + w + 6,
                text_y=y + 15,
                label_x=LABEL_WIDTH - 8,
                label_y=y + 15,
            )
        )
    return replace(
        chart, bars=tuple(bars), height=max(len(bars), 1) * ROW + 10
    )


COLUMN_AREA = 160


def _vertical(chart: Chart) -> Chart:
    top = max((c for _, c in chart.rows), default=0) or 1
    n = max(len(chart.rows), 1)
    slot = (chart.width - 20) // n
    bars = []
    for i, (label, count) in enumerate(chart.rows):
        h = round(COLUMN_AREA * count / top)
        w = max(min(slot * 2 // 3, 60), 4)
        x = 10 + i * slot + (slot - w) // 2
        y = 20 + COLUMN_AREA - h
        bars.append(
            Bar(
                label=label,
                count=count,
                x=x,
                y=y,
                width=w,
                height=h,
                text_x=x + w // 2,
                text_y=y - 5,
                label_x=x + w // 2,
                label_y=20 + COLUMN_AREA + 18,
            )
        )
    return replace(chart, bars=tuple(bars), height=20 + COLUMN_AREA + 40)


def laid_out(chart: Chart) -> Chart:
    return _vertical(chart) if chart.vertical else _horizontal(chart)


# Counting


@dataclass(frozen=True)
class Themes:
    period: Period
    total: int
    notifiable: int
    notified: int
    late: int
    median_hours: float | None
    charts: tuple[Chart, ...]
    lessons: tuple[dict[str, Any], ...]


def _department(path: str, departments: dict[str, str]) -> str:
    """The department an organisation belongs to: the longest
    department path that begins its path."""
    best = ""
    for dpath in departments:
        if path.startswith(dpath) and len(dpath) > len(best):
            best = dpath
    return departments.get(best, "Outside any department")


def _months(period: Period, today: dt.date) -> list[dt.date]:
    assert period.start is not None and period.end is not None
    end = min(period.end - dt.timedelta(days=1), today)
    months = []
    m = period.start.replace(day=1)
    while m <= end:
        months.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return months


def _when(period: Period, aware: Iterable[dt.date], today: dt.date) -> Chart:
    if period.by_month:
        counts = Counter(d.replace(day=1) for d in aware)
        rows = tuple(
            (f"{m:%b %Y}", counts.get(m, 0)) for m in _months(period, today)
        )
        return Chart("month", "Incidents by month", "Month", rows, True)
    years = Counter(_fy_start(d) for d in aware)
    rows = tuple((f"{y}–{str(y + 1)[-2:]}", years[y]) for y in sorted(years))
    return Chart(
        "month",
        "Incidents by financial year",
        "Financial year",
        rows,
        True,
    )


def _to_notify(
    rows: list[dict[str, Any]],
) -> tuple[Chart, list[float], int]:
    hours = []
    buckets: Counter[str] = Counter()
    waiting = 0
    for r in rows:
        if r["first_ico"] is None:
            if r["notifiable"]:
                waiting += 1
            continue
        delta = r["first_ico"] - r["aware_at"]
        hours.append(delta.total_seconds() / 3600)
        for limit, label in NOTIFY_BUCKETS:
            if limit is None or delta <= limit:
                buckets[label] += 1
                break
    chart_rows = [(label, buckets[label]) for _, label in NOTIFY_BUCKETS]
    chart_rows.append(("Notifiable, not yet notified", waiting))
    return (
        Chart(
            "notify",
            "Time from awareness to notifying the ICO",
            "Time taken",
            tuple(chart_rows),
            note="The law allows 72 hours from awareness (UK GDPR Art 33(1)).",
        ),
        hours,
        waiting,
    )


def build(
    *,
    period: Period,
    rows: list[dict[str, Any]],
    departments: dict[str, str],
    lessons: list[dict[str, Any]],
    today: dt.date,
) -> Themes:
    """``rows``: one dict per incident with ``aware_at``,
    ``organisation__path``, ``annual_category``, ``kind``,
    ``special_category``, ``vulnerable``, ``financial``, ``notifiable``,
    ``root_cause`` and ``first_ico`` (the first ICO notification)."""
    aware = [r["aware_at"].astimezone(clock.LONDON).date() for r in rows]
    category = Counter(r["annual_category"] for r in rows)
    kind = Counter(r["kind"] for r in rows)
    cause = Counter(r["root_cause"] for r in rows)
    dept = Counter(_department(r["organisation__path"], departments)
                   for r in rows)  # fmt: skip
    data: Counter[str] = Counter()
    for r in rows:
        found = False
        for key, label in (
            ("special_category", "Special-category data"),
            ("vulnerable", "Children or vulnerable people"),
            ("financial", "Financial data"),
        ):
            if r[key]:
                data[label] += 1
                found = True
        if not found:
            data["None of these"] += 1
    notify_chart, hours, waiting = _to_notify(rows)
    charts = [
        Chart(
            "category",
            "Incidents by annual-report category",
            "Category",
            tuple(
                (SHORT_CATEGORY[c], category[c.value]) for c in AnnualCategory
            )
            + (("Not yet classified", category[""]),),
        ),
        Chart(
            "department",
            "Incidents by department",
            "Department",
            tuple(sorted(dept.items(), key=lambda kv: (-kv[1], kv[0]))),
        ),
        _when(period, aware, today),
        Chart(
            "data",
            "Incidents by kind of data involved",
            "Data",
            tuple(
                (label, data[label])
                for label in (
                    "Special-category data",
                    "Children or vulnerable people",
                    "Financial data",
                    "None of these",
                )
            ),
            note="An incident may involve more than one kind of data.",
        ),
        Chart(
            "kind",
            "Incidents by what happened",
            "What happened",
            tuple((k.label, kind[k.value]) for k in Kind)
            + (("Not yet recorded", kind[""]),),
        ),
        notify_chart,
        Chart(
            "cause",
            "Incidents by root cause",
            "Root cause",
            tuple((c.label, cause[c.value]) for c in RootCause)
            + (("Not yet found", cause[""]),),
        ),
    ]
    late = sum(1 for h in hours if h > 72)
    return Themes(
        period=period,
        total=len(rows),
        notifiable=sum(1 for r in rows if r["notifiable"]),
        notified=len(hours),
        late=late,
        median_hours=statistics.median(hours) if hours else None,
        charts=tuple(laid_out(c) for c in charts),
        lessons=tuple(lessons),
    )
