"""Running one unit of work: read, scan, tally. Runs in whichever process
the cluster chose, so everything it takes and returns pickles."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from steward.discovery._columns import scan_table
from steward.discovery._engine import scan_text
from steward.discovery._errors import ReadError
from steward.discovery._limits import Deadline, Limits
from steward.discovery._masking import mask
from steward.discovery._readers import (
    Budget,
    Item,
    Skipped,
    Source,
    TableSegment,
    TextSegment,
    read,
)
from steward.discovery._readers.database import display_url, read_table
from steward.discovery._readers.delimited import read_range
from steward.discovery._readers.parquet import read_parquet
from steward.discovery._tally import (
    MAX_SAMPLES,
    Tally,
    UnitResult,
    value_hashes,
)
from steward.discovery._units import Unit
from steward.discovery.detectors import Detector, registered
from steward.discovery.report import Location, Problem


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What every unit needs: limits, the hash key and the score floor."""

    limits: Limits = field(default_factory=Limits)
    key: bytes = b""
    min_score: float = 0.5


def _tally_text(text: str, lines: list[int] | None, first_line: int,
                where: Location, result: UnitResult,
                options: ScanOptions,
                detectors: dict[str, Detector]) -> None:
    """Tally matches in ``text``; ``lines`` maps each line of it to a row
    when the text is cells of a table."""
    kept = [match for match in scan_text(text)
            if match.score >= options.min_score]
    if not kept:
        return
    values = [text[match.start:match.end] for match in kept]
    digests = value_hashes(
        [detectors[match.entity].normalise(value)
         for match, value in zip(kept, values, strict=True)], options.key)
    line, position = 0, 0
    tallies: dict[str, Tally] = {}
    for match, value, digest in zip(kept, values, digests, strict=True):
        line += text.count("\n", position, match.start)
        position = match.start
        tally = tallies.get(match.entity)
        if tally is None:
            tally = tallies[match.entity] = result.tally(
                where, match.entity, "text")
        # Masking is for samples only: once a tally has its few, the
        # value is not masked at all.
        tally.add(
            score=match.score,
            validated=match.validated,
            digest=digest,
            position=lines[line] if lines is not None else first_line + line,
            sample=(mask(value, detectors[match.entity].mask_keep)
                    if len(tally.samples) < MAX_SAMPLES else ""),
        )


def _items(unit: Unit, budget: Budget) -> Iterator[Item]:
    if unit.kind == "table":
        return read_table(unit.target, unit.table, budget.deadline)
    if unit.kind == "csv-range":
        return read_range(unit.target, unit.delimiter, unit.start,
                          unit.stop, unit.first_row, budget)
    source = Source(unit.target, path=Path(unit.target))
    if unit.kind == "parquet-groups":
        return read_parquet(source, budget, range(unit.start, unit.stop))
    return read(source, budget)


def _name(unit: Unit) -> str:
    if unit.kind == "table":
        return f"{display_url(unit.target)} [{unit.table}]"
    return unit.target


def run_unit(unit: Unit, options: ScanOptions) -> UnitResult:
    """Scan one unit; read errors become problems in the result."""
    result = UnitResult(sources=1 if unit.first else 0,
                        bytes_read=unit.size)
    detectors = {d.entity: d for d in registered()}
    budget = Budget(options.limits,
                    Deadline(options.limits.seconds_per_file, _name(unit)))

    def cells(text: str, rows: list[int], where: Location) -> None:
        _tally_text(text, rows, 0, where, result, options, detectors)

    try:
        for item in _items(unit, budget):
            if isinstance(item, TextSegment):
                _tally_text(item.text, None, item.first_line, item.where,
                            result, options, detectors)
            elif isinstance(item, TableSegment):
                scan_table(item, result, options.key, cells)
            elif isinstance(item, Skipped):
                result.skipped.append(item.name)
            else:
                result.problems.append(item)
            budget.deadline.check()
    except ReadError as error:
        result.problems.append(
            Problem(error.path or _name(unit), error.kind, error.message))
    except Exception as error:  # noqa: BLE001
        # A library failing in a way its documentation does not list must
        # not end a scan of thousands of files: the file is reported.
        result.problems.append(Problem(
            _name(unit), "error",
            f"{_name(unit)}: could not be scanned "
            f"({type(error).__name__})"))
    return result
