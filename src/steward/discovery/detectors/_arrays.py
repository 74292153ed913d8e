"""Checksums over whole Arrow columns, for detectors' ``verdict_array``.

Each gives, for every value of a string array, the same answer as the
scalar check the detector cites (tests hold them to that), without a
Python call per value.
"""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]


def digits_only(values: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(values, r"\D", "")


def digit_at(digits: pa.Array, index: int) -> pa.Array:
    """The digit at ``index`` as an integer, 0 where the value is shorter.
    """
    one = pc.utf8_slice_codeunits(digits, index, index + 1)
    one = pc.if_else(pc.equal(one, ""), "0", one)
    return pc.cast(one, pa.int32())


def nhs_mod11(digits: pa.Array) -> pa.Array:
    """NHS Data Dictionary modulus 11 over ten-digit strings."""
    total = pa.array([0] * len(digits), pa.int32())
    for index in range(9):
        total = pc.add(total, pc.multiply(digit_at(digits, index),
                                          10 - index))
    # Integer division: Arrow divides integers with truncation.
    remainder = pc.subtract(total, pc.multiply(pc.divide(total, 11), 11))
    check = pc.subtract(11, remainder)
    check = pc.if_else(pc.equal(check, 11), 0, check)
    return pc.and_(pc.not_equal(check, 10),
                   pc.equal(check, digit_at(digits, 9)))


def luhn(digits: pa.Array) -> pa.Array:
    """ISO/IEC 7812 Luhn check over digit strings of up to 19 digits."""
    reversed_digits = pc.utf8_reverse(digits)
    total = pa.array([0] * len(digits), pa.int32())
    for index in range(19):
        digit = digit_at(reversed_digits, index)
        if index % 2:
            digit = pc.multiply(digit, 2)
            digit = pc.if_else(pc.greater(digit, 9), pc.subtract(digit, 9),
                               digit)
        total = pc.add(total, digit)
    return pc.equal(pc.subtract(total, pc.multiply(pc.divide(total, 10), 10)),
                    0)


def one_digit_repeated(digits: pa.Array) -> pa.Array:
    return pc.match_substring_regex(
        digits, "^(?:" + "|".join(f"{d}+" for d in range(10)) + ")$")


def constant(values: pa.Array, verdict: str) -> pa.Array:
    """The same verdict for every value."""
    return pa.array([verdict] * len(values), pa.string())


def verdicts(passed: pa.Array, when: str, otherwise: str) -> pa.Array:
    """Verdict values (strings) from a boolean array."""
    return pc.if_else(pc.fill_null(passed, False), when, otherwise)


_DAYS = pa.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
                 pa.int32())


def is_ddmm(digits: pa.Array) -> pa.Array:
    """Whether the first four digits are a day and month that exist."""
    day = pc.add(pc.multiply(digit_at(digits, 0), 10), digit_at(digits, 1))
    month = pc.add(pc.multiply(digit_at(digits, 2), 10), digit_at(digits, 3))
    in_year = pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12))
    longest = pc.take(_DAYS, pc.if_else(in_year, month, 0))
    return pc.and_(in_year, pc.and_(pc.greater_equal(day, 1),
                                    pc.less_equal(day, longest)))
