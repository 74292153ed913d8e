"""Scanning tables column by column, vectorised: pyarrow's RE2 kernels
for shapes, numpy over the column's UTF-8 bytes for checksums, normalising
and the hashes behind distinct counts. No Python runs per cell.

A column is judged as a whole first. The first ``_SAMPLE`` values only
choose which detectors are worth trying (one whose shape fits too few of
them is not tried); a detector that is tried checks every non-empty value
of the column: one anchored RE2 pass for the shape, then the detector's
check on every value of that shape (``verdict_array``: Luhn, modulus 11,
allocation rules and dates over the whole column; or ``verdict`` once per
distinct value). The detector under which most values pass, if more than
``MOST`` of them do, names the column, and its counts are of values that
passed. Otherwise every cell that could hold an identifier (one RE2 pass
over the union of all patterns) is scanned as text, so scattered values
are still found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from steward.discovery._masking import mask
from steward.discovery._readers import TableSegment
from steward.discovery._tally import UnitResult, hash_array, unique
from steward.discovery.detectors import Detector, Verdict, registered
from steward.discovery.detectors._arrays import utf8_buffers
from steward.discovery.detectors._base import generation
from steward.discovery.report import Location

#: The share of a column's non-empty values that must pass.
MOST = 0.5
_SAMPLE = 256
_HEAD = 200
_CHECKED = (Verdict.VALID, Verdict.CHECKED_WEAK)
# Plain numbers of up to seven digits can be none of the identifiers.
_PLAIN_NUMBER = r"^[-+]?\d{1,7}(?:[.,]\d+)?$"


@dataclass(frozen=True, slots=True)
class _Choice:
    detector: Detector
    in_context: bool
    verdicts: pa.Array  # Verdict values over the column; null: wrong shape
    passed: pa.Array  # boolean over the column's non-empty values
    count: int
    scores: dict[str, tuple[float, bool]]  # by verdict: score, checked


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


_any_cache: dict[int, str] = {}


def _any_pattern() -> str:
    """RE2 source matching any cell that could hold an identifier."""
    found = _any_cache.get(generation())
    if found is None:
        found = "|".join(f"(?:{d.cell_hint or d.pattern})"
                         for d in registered())
        found += r"|(?i:born|d\.?o\.?b|birth)"
        _any_cache.clear()
        _any_cache[generation()] = found
    return found


def _header_matches(detector: Detector, header: str) -> bool:
    return bool(detector.header and re.search(detector.header, header))


def _verdicts(detector: Detector, shaped: pa.Array) -> pa.Array:
    """Verdicts for values of the right shape: vectorised when the
    detector can, else one Python call per distinct value."""
    found = detector.verdict_array(shaped)
    if found is not None:
        return found
    distinct = pc.unique(shaped)
    judged = pa.array([detector.verdict(v).value
                       for v in distinct.to_pylist()], pa.string())
    return pc.take(judged, pc.index_in(shaped, value_set=distinct))


def _try(detector: Detector, header: str, values: pa.Array,
         ) -> _Choice | None:
    pattern = _anchored(detector.pattern)
    sample = values.slice(0, _SAMPLE)
    shaped = pc.sum(pc.match_substring_regex(sample, pattern)).as_py() or 0
    if shaped < MOST * len(sample) * 0.8:
        return None
    in_context = _header_matches(detector, header)
    shape = pc.match_substring_regex(values, pattern)
    if pc.all(shape).as_py():
        # The usual case in a column of identifiers: every value has the
        # shape, and every value gets a verdict.
        verdicts = _verdicts(detector, values)
    else:
        verdicts = pc.if_else(shape, pa.scalar("", pa.string()),
                              pa.scalar(None, pa.string()))
        verdicts = pc.replace_with_mask(
            verdicts, shape, _verdicts(detector, pc.filter(values, shape)))
    scores: dict[str, tuple[float, bool]] = {}
    for verdict in Verdict:
        score = detector.score(verdict, in_context)
        if score is not None:
            scores[verdict.value] = (score, verdict in _CHECKED)
    if not scores:
        return None
    passed = pc.fill_null(pc.is_in(verdicts, value_set=pa.array(
        list(scores), pa.string())), False)
    count = pc.sum(passed).as_py() or 0
    return _Choice(detector, in_context, verdicts, passed, count, scores)


def classify(header: str, values: pa.Array) -> _Choice | None:
    """The detector most values of a column pass, if most do.

    Detectors the header names are tried first; one that nearly every
    value passes settles the column without trying the rest.
    """
    best: _Choice | None = None
    ordered = sorted(registered(),
                     key=lambda d: not _header_matches(d, header))
    for detector in ordered:
        choice = _try(detector, header, values)
        if choice is None or choice.count <= MOST * len(values):
            continue
        if best is None or (choice.count, choice.in_context) > (
            best.count, best.in_context
        ):
            best = choice
        if best.in_context and best.count >= 0.9 * len(values):
            break
    return best


def _tally_column(choice: _Choice, values: pa.Array, rows: pa.Array,
                  where: Location, first_row: int, result: UnitResult,
                  key: bytes) -> None:
    detector = choice.detector
    tally = result.tally(where, detector.entity, "column")
    tally.looked_at += len(values)
    tally.passed += choice.count
    everything = choice.count == len(values)
    passed = (choice.verdicts if everything
              else pc.filter(choice.verdicts, choice.passed))
    counts = pc.value_counts(passed)
    for verdict, times in zip(counts.field("values").to_pylist(),
                              counts.field("counts").to_pylist(),
                              strict=True):
        score, checked = choice.scores[verdict]
        tally.count += times
        tally.validated += times if checked else 0
        tally.score_total += score * times
    normalised = detector.normalise_array(
        values if everything else pc.filter(values, choice.passed))
    tally.hash_arrays.append(unique(hash_array(normalised, key)))
    # Samples and positions come from the first values that passed.
    head = pc.filter(values.slice(0, _HEAD), choice.passed.slice(0, _HEAD))
    head_rows = pc.filter(rows.slice(0, _HEAD), choice.passed.slice(0, _HEAD))
    tally.positions.extend(
        first_row + row for row in head_rows.slice(0, 10).to_pylist())
    del tally.positions[10:]
    for value in head.to_pylist():
        sample = mask(value, detector.mask_keep)
        if len(tally.samples) >= 3:
            break
        if sample not in tally.samples:
            tally.samples.append(sample)


def text_cells(values: pa.Array, rows: pa.Array) -> tuple[str, list[int]]:
    """Cells that could hold an identifier, one a line, and their rows."""
    hits = pc.match_substring_regex(values, _any_pattern())
    if not pc.any(hits).as_py():
        return "", []
    picked = pc.replace_substring(pc.filter(values, hits), "\n", " ")
    joined = pc.binary_join(
        pa.ListArray.from_arrays(pa.array([0, len(picked)], pa.int32()),
                                 picked), "\n")
    text = joined[0].as_py() or ""
    return text, pc.filter(rows, hits).to_pylist()


# ASCII whitespace as Unicode (and so utf8_trim_whitespace) knows it.
_SPACE = np.zeros(256, bool)
_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def _trimmed(column: pa.Array) -> bool:
    """Whether no value starts or ends with white space, judged on the
    bytes: values that start or end outside ASCII count as untrimmed."""
    offsets, data = utf8_buffers(column)
    nonempty = offsets[1:] > offsets[:-1]
    if not nonempty.any():
        return True
    ends = np.concatenate((data[offsets[:-1][nonempty]],
                           data[offsets[1:][nonempty] - 1]))
    return not (_SPACE[ends].any() or (ends >= 0x80).any())


def column_values(column: pa.ChunkedArray | pa.Array
                  ) -> tuple[pa.Array, pa.Array]:
    """Non-empty values with surrounding space trimmed, and their row
    indices within the segment."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    trimmed = column if _trimmed(column) else pc.utf8_trim_whitespace(column)
    offsets, _ = utf8_buffers(trimmed)
    present = offsets[1:] > offsets[:-1]
    if trimmed.null_count:
        present &= np.asarray(trimmed.is_valid())
    if present.all():
        return trimmed, pa.array(np.arange(len(trimmed)), pa.int64())
    mask = pa.array(present, pa.bool_())
    return pc.filter(trimmed, mask), pc.indices_nonzero(mask)


CellScanner = Callable[[str, list[int], Location], None]


def scan_table(segment: TableSegment, result: UnitResult, key: bytes,
               scan_cells: CellScanner) -> None:
    """Judge each column of ``segment``; scan unjudged cells as text."""
    table = segment.table
    for name, column in zip(table.column_names, table.columns, strict=True):
        values, rows = column_values(column)
        if len(values) == 0:
            continue
        where = Location(segment.where.path, segment.where.sheet,
                         segment.where.page, name)
        choice = classify(name, values)
        if choice is not None:
            _tally_column(choice, values, rows, where, segment.first_row,
                          result, key)
            continue
        if pc.all(pc.match_substring_regex(values, _PLAIN_NUMBER)).as_py():
            continue
        text, cell_rows = text_cells(values, rows)
        if text:
            scan_cells(text, [segment.first_row + r for r in cell_rows],
                       where)

