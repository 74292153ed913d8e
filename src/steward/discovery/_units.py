"""Splitting a scan into units of work: files, row ranges of large CSV and
Parquet files, and database tables. Units are numbered in a fixed order
(targets as given, directory entries sorted) so that results merge the
same way whoever ran them."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from steward.discovery._errors import ReadError
from steward.discovery._readers.database import (
    display_url,
    looks_like_url,
    table_names,
)
from steward.discovery._readers.delimited import sniff_encoding
from steward.discovery.report import Problem

UnitKind = Literal["file", "csv-range", "parquet-groups", "table"]

#: Large CSV and Parquet files are split into units of about this size.
UNIT_BYTES = 64 * 1024 * 1024
_BLOCK = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of work; ``first`` marks the unit that counts its source
    once in the report."""

    index: int
    kind: UnitKind
    target: str
    size: int
    start: int = 0
    stop: int = 0
    first_row: int = 1
    table: str = ""
    delimiter: str = ","
    first: bool = True


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if not path.is_symlink():
                yield path


def _csv_cuts(path: Path, size: int, unit_bytes: int
              ) -> list[tuple[int, int, int]]:
    """(start, stop, lines before start) for each part of a large file,
    each part ending just after a newline."""
    cuts: list[tuple[int, int, int]] = []
    start, lines_before, lines, offset = 0, 0, 0, 0
    target = unit_bytes
    with path.open("rb") as handle:
        while True:
            block = handle.read(_BLOCK)
            if not block:
                break
            position = 0
            while offset + len(block) > target:
                cut = block.find(b"\n", max(target - offset, position))
                if cut == -1:
                    break
                lines += block.count(b"\n", position, cut + 1)
                position = cut + 1
                cuts.append((start, offset + position, lines_before))
                start, lines_before = offset + position, lines
                target = start + unit_bytes
            lines += block.count(b"\n", position)
            offset += len(block)
    cuts.append((start, size, lines_before))
    return cuts


def _file_units(path: Path, index: int, unit_bytes: int) -> list[Unit]:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv", ".tab"} and size > unit_bytes:
        with path.open("rb") as handle:
            encoding = sniff_encoding(handle.read(65536))
        if not encoding.startswith(("utf-16", "utf-32")):
            delimiter = "," if suffix == ".csv" else "\t"
            return [
                Unit(index + n, "csv-range", name, stop - start, start, stop,
                     first_row=max(lines, 1), delimiter=delimiter,
                     first=n == 0)
                for n, (start, stop, lines) in enumerate(
                    _csv_cuts(path, size, unit_bytes))
            ]
    if suffix in {".parquet", ".pq"} and size > unit_bytes:
        try:
            meta = pq.ParquetFile(path).metadata
        except (OSError, pa.ArrowException):
            meta = None
        if meta is not None and meta.num_row_groups > 1:
            return _parquet_units(name, meta, index, unit_bytes)
    return [Unit(index, "file", name, size)]


def _parquet_units(name: str, meta: pq.FileMetaData, index: int,
                   unit_bytes: int) -> list[Unit]:
    units: list[Unit] = []
    start, weight = 0, 0
    for group in range(meta.num_row_groups):
        weight += meta.row_group(group).total_byte_size
        last = group == meta.num_row_groups - 1
        if weight >= unit_bytes or last:
            units.append(Unit(index + len(units), "parquet-groups", name,
                              weight, start, group + 1, first=not units))
            start, weight = group + 1, 0
    return units


def plan(targets: Sequence[str], unit_bytes: int = UNIT_BYTES
         ) -> tuple[list[Unit], list[Problem]]:
    """The units for ``targets`` (paths or database URLs), and problems
    with targets that cannot be planned."""
    units: list[Unit] = []
    problems: list[Problem] = []
    for target in targets:
        if looks_like_url(target):
            try:
                names = table_names(target)
            except ReadError as error:
                problems.append(Problem(display_url(target), error.kind,
                                        error.message))
                continue
            units.extend(Unit(len(units) + n, "table", target, 0, table=name)
                         for n, name in enumerate(names))
            continue
        root = Path(target)
        if not root.exists():
            problems.append(Problem(target, "unreadable",
                                    f"{target}: no such file or directory"))
            continue
        paths = _walk(root) if root.is_dir() else iter([root])
        for path in paths:
            units.extend(_file_units(path, len(units), unit_bytes))
    return units, problems
