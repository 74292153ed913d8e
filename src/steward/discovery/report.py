"""What a scan found, without the values it found.

A ``Report`` lists ``Finding`` rows (one entity in one place: a file, a
page, a sheet or table, a column), the ``Problem`` rows for sources that
could not be read, and totals per entity. Nothing in it holds a raw value:
distinct counts come from keyed hashes and samples are masked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FindingKind = Literal["column", "text"]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a finding is: a file (or ``archive.zip!member``) or database
    URL, then the worksheet or table, the PDF page and the column."""

    path: str
    sheet: str = ""
    page: int = 0
    column: str = ""

    def describe(self) -> str:
        """A short human form: ``data.xlsx [People] column email``."""
        parts = [self.path]
        if self.sheet:
            parts.append(f"[{self.sheet}]")
        if self.page:
            parts.append(f"page {self.page}")
        if self.column:
            parts.append(f"column {self.column}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One entity found in one place.

    ``kind`` is ``column`` when a whole column was judged to hold the
    entity (``share`` is then the share of its non-empty values that
    passed) and ``text`` for occurrences in running text or in cells of
    unclassified columns. ``positions`` holds the first line numbers (text)
    or row numbers (tables), 1-based: data rows after the header for CSV,
    JSON, Parquet and database tables; the sheet's own row numbers for
    worksheets, as a spreadsheet shows them.
    """

    entity: str
    location: Location
    kind: FindingKind
    count: int
    distinct: int
    validated: int
    confidence: float
    share: float | None
    positions: tuple[int, ...]
    samples: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["positions"] = list(self.positions)
        data["samples"] = list(self.samples)
        return data


@dataclass(frozen=True, slots=True)
class Problem:
    """A source that could not be read, and why (``ReadError.kind``)."""

    path: str
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class EntityTotal:
    """How many of one entity the whole scan found, and in how many
    places."""

    entity: str
    count: int
    distinct: int
    places: int


@dataclass(frozen=True, slots=True)
class Report:
    """The result of ``scan_paths``; the same whatever ran the scan."""

    findings: tuple[Finding, ...] = ()
    problems: tuple[Problem, ...] = ()
    totals: tuple[EntityTotal, ...] = ()
    sources: int = 0
    bytes_read: int = 0
    skipped: tuple[str, ...] = field(default=())

    def total(self, entity: str) -> int:
        """How many occurrences of ``entity`` were found."""
        return sum(t.count for t in self.totals if t.entity == entity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "bytes_read": self.bytes_read,
            "totals": [asdict(t) for t in self.totals],
            "findings": [f.to_dict() for f in self.findings],
            "problems": [asdict(p) for p in self.problems],
            "skipped": list(self.skipped),
        }
