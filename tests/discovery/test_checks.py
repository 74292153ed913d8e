"""The quick checksums answer exactly as python-stdnum, which they cite."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.gb import nhs, utr

from steward.discovery.detectors import _checks as checks
from tests.discovery.files import Corpus

_IDS = Corpus(0).ids
_digits = st.text(alphabet="0123456789", min_size=0, max_size=22)
_messy = st.text(alphabet="0123456789 -.Kk٣x", max_size=14)


@settings(max_examples=400, deadline=None)
@given(number=st.one_of(_digits, _messy))
def test_luhn_is_stdnums(number: str) -> None:
    assert checks.luhn_valid(number) == luhn.is_valid(number)


@settings(max_examples=400, deadline=None)
@given(number=st.one_of(st.text(alphabet="0123456789", min_size=10,
                                max_size=10), _messy))
def test_nhs_and_utr_are_stdnums(number: str) -> None:
    assert checks.nhs_valid(number) == nhs.is_valid(number)
    assert checks.utr_valid(number) == utr.is_valid(number)


_iban_chars = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ",
                      min_size=0, max_size=34)


@settings(max_examples=400, deadline=None)
@given(country=st.sampled_from(["GB", "DE", "BE", "ES", "NO", "FR", "XX",
                                "ME", "NL", "IE"]),
       rest=_iban_chars)
def test_iban_is_stdnums(country: str, rest: str) -> None:
    number = country + rest
    assert checks.iban_valid(number) == iban.is_valid(number)


def test_valid_numbers_pass_both() -> None:
    """Generated valid numbers (which random strings seldom are), and each
    with one digit changed."""
    rng = random.Random(7)
    _IDS.rng = rng
    for _ in range(300):
        for number, fast, reference in (
            (_IDS.card().replace(" ", ""), checks.luhn_valid, luhn.is_valid),
            (_IDS.nhs().replace(" ", ""), checks.nhs_valid, nhs.is_valid),
            (_IDS.utr(), checks.utr_valid, utr.is_valid),
            (_IDS.iban(), checks.iban_valid, iban.is_valid),
        ):
            assert fast(number) is True and reference(number) is True
            at = rng.randrange(len(number))
            if number[at].isdigit():
                changed = (number[:at] + str((int(number[at]) + 1) % 10)
                           + number[at + 1:])
                assert fast(changed) == reference(changed)
    for known in ("BE68539007547034", "ES9121000418450200051332",
                  "NO9386011117947", "DE89370400440532013000",
                  "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32"):
        assert checks.iban_valid(known) == iban.is_valid(known)
    assert checks.iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not checks.iban_valid("GB83 WEST 1234 5698 7654 32")
