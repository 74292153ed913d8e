"""Checksums for one value at a time, quick enough for every candidate in
running text.

python-stdnum is the reference (and is cited by the detectors): each
function here answers exactly as the stdnum call it names, and hands the
value to stdnum itself whenever it is outside the simple case computed
here. Tests hold them to that on generated values. stdnum's own
functions clean and re-check their input on every call, which costs tens
of microseconds; a scan checks hundreds of thousands of candidates.
"""

from __future__ import annotations

import re
from operator import mul

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from stdnum import iban as _iban
from stdnum import luhn as _luhn
from stdnum import numdb
from stdnum.gb import nhs as _nhs
from stdnum.gb import utr as _utr
from stdnum.util import get_cc_module

from steward.discovery.detectors import _arrays as arrays

# Each digit of a Luhn number that is doubled, as the digit sum of its
# double ("7" -> 14 -> "5"), as bytes.
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
_UTR_WEIGHTS = (6, 7, 8, 9, 10, 5, 4, 3, 2)
# The sums below run over the digits' character codes, each its digit
# plus 48: these are what the 48s add up to.
_NHS_OFFSET = 48 * sum(_NHS_WEIGHTS)
_UTR_OFFSET = 48 * sum(_UTR_WEIGHTS)


def _plain_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def luhn_valid(number: str) -> bool:
    """``stdnum.luhn.is_valid(number)``."""
    if not _plain_digits(number):
        return _luhn.is_valid(number)
    codes = number.encode()
    # Counted from the right, the first digit and every second one are
    # added as they are, the others doubled.
    total = (sum(codes[::-2]) + sum(codes[-2::-2].translate(_DOUBLED))
             - 48 * len(codes))
    return total % 10 == 0


def nhs_valid(number: str) -> bool:
    """``stdnum.gb.nhs.is_valid(number)`` for a number without
    separators."""
    if not (_plain_digits(number) and len(number) == 10):
        return bool(_nhs.is_valid(number))
    total: int = sum(map(mul, number.encode(), _NHS_WEIGHTS)) - _NHS_OFFSET
    return total % 11 == 0


def utr_valid(number: str) -> bool:
    """``stdnum.gb.utr.is_valid(number)`` for a number without spaces or
    the trailing K."""
    if not (_plain_digits(number) and len(number) == 10):
        return _utr.is_valid(number)
    total: int = (sum(map(mul, number[1:].encode(), _UTR_WEIGHTS))
                  - _UTR_OFFSET)
    return number[0] == "21987654321"[total % 11]


_IBAN_DB = numdb.get("iban")
_LETTERS = str.maketrans({chr(c): str(c - 55) for c in range(65, 91)})
_STRUCTURE = re.compile(r"([1-9][0-9]*)!([nac])")
_CLASSES = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}
# Per country: the BBAN's pattern, None when stdnum knows no such
# country, or False when stdnum has a country module to consult.
_COUNTRIES: dict[str, re.Pattern[str] | None | bool] = {}


def _country(code: str) -> re.Pattern[str] | None | bool:
    found = _COUNTRIES.get(code, True)
    if found is not True:
        return found
    info = _IBAN_DB.info(code)
    if not info or not info[0][1]:
        result: re.Pattern[str] | None | bool = None
    elif get_cc_module(code.lower(), "iban") is not None:
        result = False
    else:
        result = re.compile("^" + _STRUCTURE.sub(
            lambda m: f"{_CLASSES[m.group(2)]}{{{m.group(1)}}}",
            info[0][1].get("bban", "")) + "$")
    _COUNTRIES[code] = result
    return result


def iban_valid_array(values: pa.Array) -> np.ndarray:
    """``iban_valid`` over a string array (as a boolean numpy array):
    the mod-97 check in numpy, each country's BBAN pattern with Arrow's
    RE2, and ``iban_valid`` itself for the values outside the simple case
    (no country pattern, or a character other than a space, A-Z or 0-9).
    """
    offsets, data = arrays.utf8_buffers(values)
    count = len(offsets) - 1
    valid = np.zeros(count, bool)
    if not count:
        return valid
    # The compact form: spaces dropped.
    kept = data != _SPACE
    seen = np.zeros(len(data) + 1, np.int64)
    np.cumsum(kept, out=seen[1:])
    starts, ends = seen[offsets[:-1]], seen[offsets[1:]]
    compact = data[kept]
    lengths = ends - starts
    # The simple case: A-Z and 0-9 only, no space at either end, more
    # than four characters and a country with a BBAN pattern.
    plain = ((compact - 48) < 10) | ((compact - 65) < 26)
    bad = np.zeros(len(compact) + 1, np.int64)
    np.cumsum(~plain, out=bad[1:])
    simple = (bad[ends] == bad[starts]) & (lengths > 4)
    simple &= data[np.minimum(offsets[:-1], len(data) - 1)] != _SPACE
    simple &= data[np.maximum(offsets[1:] - 1, 0)] != _SPACE
    first = np.minimum(starts, len(compact) - 2)
    codes = (compact[first].astype(np.int64) << 8) | compact[first + 1]
    patterns: dict[int, re.Pattern[str]] = {}
    for code in np.unique(codes[simple]).tolist():
        country = _country(chr(code >> 8) + chr(code & 0xFF))
        if country is False:
            simple &= codes != code
        elif country is not None and not isinstance(country, bool):
            patterns[code] = country
    # mod 97 of the digits of the BBAN, then the country code and check
    # digits, letters read as two digits (A = 10): Horner's rule over
    # the characters of every value at once.
    rows = np.flatnonzero(simple)
    if len(rows):
        width = int(lengths[rows].max())
        place = np.arange(width)
        size = lengths[rows][:, None]
        # The character read k-th: the BBAN's from the fifth on, then
        # the first four.
        order = np.where(place < size - 4, place + 4, place - (size - 4))
        inside = place < size
        chars = compact[np.minimum(starts[rows][:, None] + order,
                                   len(compact) - 1)]
        letter = chars >= 65
        value = np.where(letter, chars.astype(np.int64) - 55,
                         chars.astype(np.int64) - 48)
        scale = np.where(letter, 100, 10)
        total = np.zeros(len(rows), np.int64)
        for column in range(width):
            total = np.where(inside[:, column],
                             (total * scale[:, column] + value[:, column])
                             % 97, total)
        checked = rows[total == 1]
        compacted = arrays.string_array(
            np.concatenate(([0], np.cumsum(lengths))), compact)
        for code, pattern in patterns.items():
            these = checked[codes[checked] == code]
            if len(these):
                bban = pc.utf8_slice_codeunits(
                    compacted.take(pa.array(these)), 4)
                valid[these] = pc.match_substring_regex(
                    bban, pattern.pattern).to_numpy(zero_copy_only=False)
    # The rest, one by one.
    others = np.flatnonzero(~simple)
    if len(others):
        listed = values.take(pa.array(others)).to_pylist()
        valid[others] = [iban_valid(v) if v is not None else False
                         for v in listed]
    return valid


_SPACE = ord(" ")


def iban_valid(number: str) -> bool:
    """``stdnum.iban.is_valid(number)``."""
    compact = number.replace(" ", "")
    if not (compact.isascii() and compact.isalnum() and compact.isupper()
            and len(compact) > 4 and number == number.strip()
            and "-" not in number and "." not in number):
        return _iban.is_valid(number)
    country = _country(compact[:2])
    if country is False or len(compact[:2]) != 2:
        return _iban.is_valid(number)
    rearranged = (compact[4:] + compact[:4]).translate(_LETTERS)
    if int(rearranged) % 97 != 1:
        return False
    if country is None:
        return False
    return bool(country.match(compact[4:]))  # type: ignore[union-attr]
