"""What readers hand to the scanner: text, tables, or a problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]

from steward.discovery._limits import Deadline, Limits
from steward.discovery.report import Location


@dataclass(frozen=True, slots=True)
class TextSegment:
    """Running text; ``first_line`` is the line number of its first line."""

    text: str
    where: Location
    first_line: int = 1


@dataclass(frozen=True, slots=True)
class TableSegment:
    """Rows of string columns; ``first_row`` numbers the first row."""

    table: pa.Table
    where: Location
    first_row: int = 1


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source of no supported kind (a binary), passed over."""

    name: str


@dataclass(slots=True)
class Source:
    """A file on disk or in memory (an archive member) to be read.

    ``name`` is what reports show: a path, or ``outer.zip!inner.csv``.
    """

    name: str
    path: Path | None = None
    data: bytes | None = None
    depth: int = 0


@dataclass(slots=True)
class Budget:
    """Limits and the bytes one top-level archive has expanded so far."""

    limits: Limits
    deadline: Deadline
    expanded: int = 0
