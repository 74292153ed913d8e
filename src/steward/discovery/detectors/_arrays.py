"""Checksums over whole Arrow columns, for detectors' ``verdict_array``.

Each gives, for every value of a string array, the same answer as the
scalar check the detector cites (tests hold them to that), without a
Python call per value. The digit checks read the column's UTF-8 bytes
with numpy: one pass picks out the digits into a matrix of one row per
value, and the checksums are arithmetic over its columns.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]


def utf8_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (from 0, one more than there are values) and the UTF-8
    bytes of a string array, without copying the bytes. Null values read
    as empty strings."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = pc.cast(values, pa.string())
    if values.null_count:
        values = pc.fill_null(values, pa.scalar("", pa.string()))
    count = len(values)
    buffers = values.buffers()
    if count == 0 or buffers[1] is None:
        return np.zeros(count + 1, np.int64), np.zeros(0, np.uint8)
    offsets = np.frombuffer(buffers[1], np.int32, count + 1,
                            values.offset * 4).astype(np.int64)
    data = (np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None
            else np.zeros(0, np.uint8))
    data = data[offsets[0]:offsets[-1]]
    return offsets - offsets[0], data


def string_array(offsets: np.ndarray, data: np.ndarray) -> pa.Array:
    """A string array from offsets and UTF-8 bytes (as ``utf8_buffers``
    gives them)."""
    return pa.StringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets.astype(np.int32)),
        pa.py_buffer(np.ascontiguousarray(data)))


def _digit_runs(values: pa.Array
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ASCII digits of all values, in order, as numbers; and where
    each value's digits start and end among them."""
    offsets, data = utf8_buffers(values)
    is_digit = (data >= 48) & (data <= 57)
    seen = np.zeros(len(data) + 1, np.int64)
    np.cumsum(is_digit, out=seen[1:])
    return data[is_digit] - 48, seen[offsets[:-1]], seen[offsets[1:]]


def digits_only(values: pa.Array) -> pa.Array:
    """Each value with everything but its ASCII digits removed (as
    ``replace_substring_regex(values, r"\\D", "")``)."""
    offsets, data = utf8_buffers(values)
    counts = np.bincount(data, minlength=256)
    counts[48:58] = 0
    others = np.flatnonzero(counts)
    if len(others) <= 2:
        # A few ASCII separators (spaces, hyphens): Arrow's literal
        # replacement is quicker than rebuilding the bytes.
        if len(others) == 0 or others.max() < 0x80:
            for byte in others:
                values = pc.replace_substring(values, chr(byte), "")
            return values
    is_digit = (data >= 48) & (data <= 57)
    seen = np.zeros(len(data) + 1, np.int64)
    np.cumsum(is_digit, out=seen[1:])
    return string_array(seen[offsets], data[is_digit])


def digit_matrix(values: pa.Array, width: int | None, *,
                 right: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The first ``width`` digits of each value, one row per value, zero
    where the value has fewer (or, with ``right``, its last ``width``
    digits, aligned to the right and zero-padded on the left); and how
    many digits each value holds. ``width=None``: as many as the longest
    value holds."""
    digits, starts, ends = _digit_runs(values)
    counts = ends - starts
    if width is None:
        width = int(counts.max()) if len(counts) else 0
    matrix = np.zeros((len(counts), width), np.int32)
    if not len(digits):
        return matrix, counts
    last = len(digits) - 1
    for column in range(width):
        if right:
            has = counts > width - 1 - column
            at = ends - width + column
        else:
            has = counts > column
            at = starts + column
        matrix[:, column] = np.where(has, digits[np.clip(at, 0, last)], 0)
    return matrix, counts


def _boolean(mask: np.ndarray) -> pa.Array:
    return pa.array(mask, pa.bool_())


def nhs_mod11(digits: pa.Array) -> pa.Array:
    """NHS Data Dictionary modulus 11 over ten-digit strings."""
    matrix, counts = digit_matrix(digits, 10)
    total = matrix[:, :9] @ np.arange(10, 1, -1)
    check = (11 - total % 11) % 11
    return _boolean((check != 10) & (check == matrix[:, 9]) & (counts > 0))


_LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9])


def luhn(digits: pa.Array) -> pa.Array:
    """ISO/IEC 7812 Luhn check over digit strings."""
    matrix, counts = digit_matrix(digits, None, right=True)
    # Counted from the right, every second digit is doubled.
    doubled = _LUHN_DOUBLED[matrix[:, -2::-2]].sum(axis=1)
    total = matrix[:, ::-2].sum(axis=1) + doubled
    return _boolean((total % 10 == 0) & (counts > 0))


def one_digit_repeated(digits: pa.Array) -> pa.Array:
    """Whether a value is one digit repeated (and nothing else)."""
    offsets, data = utf8_buffers(digits)
    lengths = np.diff(offsets)
    if not len(data):
        return _boolean(np.zeros(len(lengths), bool))
    # A value is one byte repeated when no byte differs from the one
    # before it within the value.
    changes = np.zeros(len(data) + 1, np.int64)
    np.cumsum(np.concatenate(([False], data[1:] != data[:-1])),
              out=changes[1:])
    starts = np.minimum(offsets[:-1], len(data) - 1)
    within = changes[offsets[1:]] - changes[np.minimum(offsets[:-1] + 1,
                                                       offsets[1:])]
    firsts = data[starts]
    is_digit = (firsts >= 48) & (firsts <= 57)
    return _boolean((lengths > 0) & (within == 0) & is_digit)


def constant(values: pa.Array, verdict: str) -> pa.Array:
    """The same verdict for every value."""
    return pa.repeat(pa.scalar(verdict, pa.string()), len(values))


def verdicts(passed: pa.Array, when: str, otherwise: str) -> pa.Array:
    """Verdict values (strings) from a boolean array."""
    return pc.if_else(pc.fill_null(passed, False), text(when),
                      text(otherwise))


def text(value: str) -> pa.Scalar:
    """A string scalar for a compute function. Handing one a plain str
    makes pyarrow guess its type, which tries (and, without dateutil,
    fails) to import dateutil on every call: a tenth of a millisecond."""
    found = _TEXTS.get(value)
    if found is None:
        found = _TEXTS[value] = pa.scalar(value, pa.string())
    return found


_TEXTS: dict[str, pa.Scalar] = {}


_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def is_ddmm(digits: pa.Array) -> pa.Array:
    """Whether the first four digits are a day and month that exist."""
    matrix, _ = digit_matrix(digits, 4)
    day = matrix[:, 0] * 10 + matrix[:, 1]
    month = matrix[:, 2] * 10 + matrix[:, 3]
    in_year = (month >= 1) & (month <= 12)
    longest = _DAYS[np.where(in_year, month, 0)]
    return _boolean(in_year & (day >= 1) & (day <= longest))
