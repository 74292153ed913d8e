"""Money: payment cards, IBANs and UK bank accounts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors import _checks as checks
from steward.discovery.detectors._base import Detector, Verdict, register
from steward.discovery.detectors._view import TextView, spans_at

_HYPHEN = ord("-")

# Issuer prefixes from ISO/IEC 7812 registrations as summarised by the card
# schemes: Visa 4; Mastercard 51-55 and 2221-2720; Amex 34, 37; Discover
# 6011, 644-649, 65; Diners 36, 38, 300-305; JCB 3528-3589; Maestro 50,
# 56-58, 6304, 6759, 6761-6763.
_ISSUER = re.compile(
    r"4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6011"
    r"|64[4-9]|65|3[68]|30[0-5]|35(?:2[89]|[3-8]\d)|5[06-8]|6304|6759"
    r"|676[1-3]"
)


class CreditCardDetector(Detector):
    """Payment card number (PAN).

    ISO/IEC 7812: 12 to 19 digits whose last is a Luhn check digit, checked
    with python-stdnum ``stdnum.luhn``. A known issuer prefix is required;
    a Luhn-valid number without one needs context.
    """

    entity = "CREDIT_CARD"
    pattern = r"\d(?:[ \-]?\d){11,18}"
    family = "number"
    context = ("card", "visa", "mastercard", "amex", "pan")
    header = r"(?i)card|\bpan\b"
    score_valid = 0.9
    score_weak = 0.7
    mask_keep = (0, 4)

    def verdict(self, value: str) -> Verdict:
        digits = value.replace(" ", "").replace("-", "")
        if not checks.luhn_valid(digits) or (
                digits.count(digits[0]) == len(digits)):
            return Verdict.INVALID
        if _ISSUER.match(digits):
            return Verdict.VALID
        return Verdict.CHECKED_WEAK

    def verdict_array(self, values: pa.Array) -> pa.Array:
        digits = arrays.digits_only(values)
        checked = pc.and_(arrays.luhn(digits),
                          pc.invert(arrays.one_digit_repeated(digits)))
        issuer = pc.match_substring_regex(digits, f"^(?:{_ISSUER.pattern})")
        return pc.if_else(
            checked,
            arrays.verdicts(issuer, Verdict.VALID.value,
                            Verdict.CHECKED_WEAK.value),
            arrays.text(Verdict.INVALID.value))


class IbanDetector(Detector):
    """International Bank Account Number.

    ISO 13616: country code, two check digits and a national account
    number; mod-97 check and per-country length with python-stdnum
    ``stdnum.iban``.
    """

    entity = "IBAN_CODE"
    pattern = r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?"
    family = "letters"
    context = ("iban", "account")
    header = r"(?i)iban"
    score_valid = 0.95
    mask_keep = (4, 0)

    def verdict(self, value: str) -> Verdict:
        return (Verdict.VALID if checks.iban_valid(value)
                else Verdict.INVALID)

    def verdict_array(self, values: pa.Array) -> pa.Array:
        return arrays.verdicts(pa.array(checks.iban_valid_array(values)),
                               Verdict.VALID.value, Verdict.INVALID.value)


class BankAccountDetector(Detector):
    """UK sort code with account number, or an account number in context.

    Pay.UK (formerly Vocalink) "Validating account numbers": a sort code is
    six digits, an account number eight (7- and 10-digit ones are written
    as eight). The modulus rules need Pay.UK's weight table, which changes
    monthly, so the check here is the pairing: a sort code written
    ``NN-NN-NN`` followed closely by eight digits, or eight digits beside a
    word such as "account".
    """

    entity = "UK_BANK_ACCOUNT"
    # The leading digit is outside the alternation so that Python's regular
    # expression engine can skip to candidate digits quickly.
    pattern = r"\d(?:\d-\d{2}-\d{2}[^\d\n]{1,24}\d{8}|\d{7})"
    shared_pass = False
    context = ("account number", "account no", "acc no", "a/c")
    header = r"(?i)acc(oun)?t.?(no|num)|account"
    score_valid = 0.9
    score_weak = 0.75
    mask_keep = (0, 2)
    # The same language with both leading digits outside the alternation.
    _compiled = re.compile(r"\d\d(?:-\d{2}-\d{2}[^\d\n]{1,24}\d{8}|\d{6})",
                           re.ASCII)

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        last = len(text)
        for found in self._compiled.finditer(text):
            start, end = found.span()
            # Inside a longer number (a card, say): the engine would reject
            # it for touching a letter or digit, so it is not offered.
            if (start and text[start - 1].isalnum()) or (
                    end < last and text[end].isalnum()):
                continue
            yield start, end

    def candidates_in(self, view: TextView) -> Iterator[tuple[int, int]]:
        # Every match starts with eight digits in a row or with a sort
        # code "NN-NN-NN". A pass over the whole text matches eight digits
        # at the start of every run of eight or more and every eighth
        # digit after it (``_blocks_of_eight``): numpy finds those, and
        # the sort codes, which are matched in order, skipping those
        # inside a block or the last match, as such a pass would.
        digits = view.digits()
        codes = view.codes
        blocks, lone = _blocks_of_eight(digits)
        # "NN-NN-NN": six digits over eight characters, hyphens between.
        six = np.flatnonzero(digits[5:] - digits[:-5] == 7)
        at = digits[six]
        six = six[(digits[six + 1] == at + 1) & (digits[six + 2] == at + 3)
                  & (digits[six + 3] == at + 4) & (digits[six + 4] == at + 6)]
        at = digits[six]
        sort_codes = at[(codes[at + 2] == _HYPHEN)
                        & (codes[at + 5] == _HYPHEN)]
        sort_codes = sort_codes[~_inside(sort_codes, blocks, blocks + 8)]
        matched = np.array(list(spans_at(self._compiled, view.text,
                                         sort_codes.tolist())),
                           np.int64).reshape(-1, 2)
        # Every other block touches a digit; one that is a sort code's
        # account number is inside its match.
        blocks = blocks[lone & ~_inside(blocks, matched[:, 0],
                                        matched[:, 1])]
        starts = np.concatenate((blocks, matched[:, 0]))
        ends = np.concatenate((blocks + 8, matched[:, 1]))
        # Inside a longer number (a card, say): the engine would reject
        # it for touching a letter or digit, so it is not offered.
        offered = ~view.alnum_at(starts - 1) & ~view.alnum_at(ends)
        starts, ends = starts[offered], ends[offered]
        order = np.argsort(starts)
        return zip(starts[order].tolist(), ends[order].tolist(), strict=True)

    def verdict(self, value: str) -> Verdict:
        return Verdict.VALID if "-" in value else Verdict.WEAK

    def verdict_array(self, values: pa.Array) -> pa.Array:
        return arrays.verdicts(pc.match_substring(values, "-"),
                               Verdict.VALID.value, Verdict.WEAK.value)

    def normalise(self, value: str) -> str:
        return re.sub(r"\D", "", value, flags=re.ASCII)

    def normalise_array(self, values: pa.Array) -> pa.Array:
        return arrays.digits_only(values)


def _blocks_of_eight(digits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the eight-digit matches of a pass over the whole text can
    start, given the positions of the digits: in each run of eight digits
    or more, its start and every eighth digit after it while eight are
    left; and whether each block is a run of just eight digits.

    Any other place with eight digits after it lies inside one of those
    blocks, or inside a sort code's match (which ends eight digits into
    a run, its account number's digits following a non-digit): a pass
    over the whole text skips it."""
    if not len(digits):
        return digits, np.zeros(0, bool)
    breaks = np.flatnonzero(np.diff(digits) != 1)
    firsts = digits[np.concatenate(([0], breaks + 1))]
    lengths = digits[np.concatenate((breaks, [-1]))] + 1 - firsts
    counts = lengths // 8
    long = counts > 0
    firsts, counts, lengths = firsts[long], counts[long], lengths[long]
    # Block i of a run: its first digit plus 8 * i.
    offsets = np.cumsum(counts) - counts
    steps = np.arange(int(counts.sum())) - np.repeat(offsets, counts)
    blocks: np.ndarray = np.repeat(firsts, counts) + 8 * steps
    return blocks, np.repeat(lengths == 8, counts)


def _inside(places: np.ndarray, starts: np.ndarray,
            ends: np.ndarray) -> np.ndarray:
    """Whether each place lies in one of the spans (in order, not
    overlapping)."""
    last = np.searchsorted(starts, places, side="right") - 1
    return (last >= 0) & (places < ends[np.maximum(last, 0)]) if len(
        starts) else np.zeros(len(places), bool)


CREDIT_CARD = register(CreditCardDetector())
IBAN = register(IbanDetector())
BANK_ACCOUNT = register(BankAccountDetector())
