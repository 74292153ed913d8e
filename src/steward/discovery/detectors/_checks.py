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

from stdnum import iban as _iban
from stdnum import luhn as _luhn
from stdnum import numdb
from stdnum.gb import nhs as _nhs
from stdnum.gb import utr as _utr
from stdnum.util import get_cc_module

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
