"""Identifiers issued by government: NINO, NHS number, UTR, passport and
driving licence."""

from __future__ import annotations

import datetime
from typing import ClassVar

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors import _checks as checks
from steward.discovery.detectors._base import Detector, Verdict, register


class NinoDetector(Detector):
    """National Insurance number.

    HMRC National Insurance Manual NIM39110: two prefix letters, six digits
    and a suffix A-D. Neither prefix letter is D, F, I, Q, U or V; the second
    is never O; BG, GB, KN, NK, NT, TN and ZZ are not allocated. There is no
    check digit, so the rules are the whole validation.
    """

    entity = "UK_NINO"
    # The letter classes already leave out D, F, I, Q, U, V (and O second).
    pattern = (
        r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]"
    )
    family = "letters"
    context = ("national insurance", "nino", "ni number", "ni no")
    header = r"(?i)\bni(no|_?num|_?number)?\b|national.?insurance|nino"
    mask_keep = (4, 1)
    unallocated: ClassVar[frozenset[str]] = frozenset(
        {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    )
    # NIM39110 lists these as administrative: real, but rarely a person's.
    administrative: ClassVar[frozenset[str]] = frozenset(
        {"OO", "CR", "FY", "MW", "NC", "PP", "PY", "PZ"}
    )

    def verdict(self, value: str) -> Verdict:
        prefix = value[:2]
        if prefix in self.unallocated:
            return Verdict.INVALID
        if prefix in self.administrative:
            return Verdict.PLAUSIBLE
        return Verdict.VALID

    def verdict_array(self, values: pa.Array) -> pa.Array:
        prefix = pc.utf8_slice_codeunits(values, 0, 2)
        admin = pc.is_in(prefix, value_set=pa.array(
            sorted(self.administrative), pa.string()))
        unallocated = pc.is_in(prefix, value_set=pa.array(
            sorted(self.unallocated), pa.string()))
        return pc.if_else(
            unallocated, arrays.text(Verdict.INVALID.value),
            arrays.verdicts(admin, Verdict.PLAUSIBLE.value,
                            Verdict.VALID.value))


class NhsDetector(Detector):
    """NHS number (England, Wales, Isle of Man; CHI; H&C).

    NHS Data Dictionary, "NHS number": modulus 11 over ten digits, checked
    here with python-stdnum ``stdnum.gb.nhs``. The uk-fci/nhs-number test
    vectors: 999 000 0000 upwards is a test range never issued, and a CHI
    number (010 100 0000 to 311 299 9999) starts with a date of birth.
    """

    entity = "UK_NHS"
    pattern = r"\d{3}[ \-]?\d{3}[ \-]?\d{4}"
    family = "number"
    context = ("nhs", "health", "patient", "chi number")
    header = r"(?i)nhs|chi.?n(o|um)|patient.?id"
    score_valid = 0.8
    score_weak = 0.6
    mask_keep = (3, 0)

    def verdict(self, value: str) -> Verdict:
        digits = value.replace(" ", "").replace("-", "")
        if not checks.nhs_valid(digits) or digits.startswith("999"):
            return Verdict.INVALID
        if digits < "3113000000" and not _is_ddmmyy(digits[:6]):
            return Verdict.INVALID
        # A run of one digit passes modulus 11 but is a placeholder.
        if digits.count(digits[0]) == len(digits):
            return Verdict.INVALID
        return Verdict.VALID


    def verdict_array(self, values: pa.Array) -> pa.Array:
        digits = arrays.digits_only(values)
        chi_date = pc.or_(pc.greater_equal(digits,
                                           arrays.text("3113000000")),
                          arrays.is_ddmm(digits))
        valid = pc.and_(arrays.nhs_mod11(digits), chi_date)
        valid = pc.and_(valid, pc.invert(pc.or_(
            pc.starts_with(digits, "999"),
            arrays.one_digit_repeated(digits))))
        return arrays.verdicts(valid, Verdict.VALID.value,
                               Verdict.INVALID.value)


def _is_ddmmyy(text: str) -> bool:
    try:
        datetime.date(2000, int(text[2:4]), int(text[:2]))
    except ValueError:
        return False
    return True


class UtrDetector(Detector):
    """HMRC Unique Taxpayer Reference.

    Ten digits whose first is a check digit over the other nine (HMRC
    Self Assessment manual), checked with python-stdnum ``stdnum.gb.utr``.
    One random ten-digit number in eleven passes, so context is required.
    """

    entity = "UK_UTR"
    pattern = r"\d{5} ?\d{5}K?"
    family = "number"
    context = ("utr", "taxpayer", "tax reference", "self assessment")
    header = r"(?i)\butr\b|taxpayer"
    score_weak = 0.85
    mask_keep = (0, 3)

    def verdict(self, value: str) -> Verdict:
        digits = value.replace(" ", "").rstrip("K")
        if checks.utr_valid(digits):
            return Verdict.CHECKED_WEAK
        return Verdict.INVALID


class PassportDetector(Detector):
    """UK passport number.

    HM Passport Office: two letters and seven digits in current books,
    nine digits in older ones. There is no public check digit, so a
    passport number counts only beside context such as "passport".
    """

    entity = "UK_PASSPORT"
    pattern = r"[A-Z]{2}\d{7}|\d{9}"
    family = "letters"
    context = ("passport",)
    header = r"(?i)passport"
    score_weak = 0.8
    mask_keep = (1, 0)

    def verdict(self, value: str) -> Verdict:
        return Verdict.WEAK

    def verdict_array(self, values: pa.Array) -> pa.Array:
        return arrays.constant(values, Verdict.WEAK.value)


class DrivingLicenceDetector(Detector):
    """GB driving licence number (DVLA).

    Sixteen characters: five from the surname padded with 9, the decade
    of birth, the month (plus 50 for women), the day, the year in the
    decade, two initials padded with 9, a digit and two check characters
    (DVLA, "What your driving licence number means").
    """

    entity = "UK_DRIVING_LICENCE"
    pattern = r"[A-Z][A-Z9]{4}\d[0156]\d[0-3]\d\d[A-Z9]{2}\d[A-Z0-9]{2}"
    family = "letters"
    context = ("driving licence", "licence number", "driver")
    header = r"(?i)licen[cs]e|driving"
    score_valid = 0.8
    mask_keep = (0, 0)

    def verdict(self, value: str) -> Verdict:
        surname, initials = value[:5], value[11:13]
        if not _padded(surname) or not _padded(initials):
            return Verdict.INVALID
        month = int(value[6:8])
        month = month - 50 if month > 50 else month
        try:
            datetime.date(2000, month, int(value[8:10]))
        except ValueError:
            return Verdict.INVALID
        return Verdict.VALID

    def verdict_array(self, values: pa.Array) -> pa.Array:
        # The same rules as ``verdict``: padded name parts, then the month
        # (less 50) and day, read as day-month for ``is_ddmm``.
        padded = pc.and_(
            pc.match_substring_regex(values, _PADDED_SURNAME),
            pc.match_substring_regex(
                pc.utf8_slice_codeunits(values, 11, 13), r"^[A-Z][A-Z9]$"))
        month = pc.utf8_slice_codeunits(values, 6, 8)
        for woman, man in (("5", "0"), ("6", "1")):
            month = pc.if_else(
                pc.starts_with(month, woman),
                pc.binary_join_element_wise(
                    arrays.text(man), pc.utf8_slice_codeunits(month, 1),
                    arrays.text("")),
                month)
        day_month = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(values, 8, 10), month, arrays.text(""))
        valid = pc.and_(padded, arrays.is_ddmm(day_month))
        return arrays.verdicts(valid, Verdict.VALID.value,
                               Verdict.INVALID.value)


# A surname part of letters padded with 9s, as ``_padded`` checks.
_PADDED_SURNAME = "^(?:[A-Z]{5}|[A-Z]{4}9|[A-Z]{3}99|[A-Z]{2}999|[A-Z]9999)"


def _padded(part: str) -> bool:
    """Letters, then only the padding 9s."""
    return part.rstrip("9").isalpha()


NINO = register(NinoDetector())
NHS = register(NhsDetector())
UTR = register(UtrDetector())
PASSPORT = register(PassportDetector())
DRIVING_LICENCE = register(DrivingLicenceDetector())
