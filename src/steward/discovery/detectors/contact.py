"""Ways to reach a person: e-mail address, UK phone number, IP address."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors._base import Detector, Verdict, register
from steward.discovery.detectors._view import TextView

_NOT_DIGIT = re.compile(r"\D", re.ASCII)
_LOCAL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-"
)
# The same, by character code.
_LOCAL = np.zeros(256, bool)
_LOCAL[[ord(c) for c in _LOCAL_CHARS]] = True
_DOT = ord(".")
# Fewer "@" than this are walked one by one.
_FEW = 64


class EmailDetector(Detector):
    """E-mail address.

    RFC 5322's dot-atom form, narrowed to what appears in practice: a
    local part of at most 64 characters (RFC 5321 section 4.5.3.1.1), an
    ``@`` and a domain with a top-level label of two letters or more.
    """

    entity = "EMAIL_ADDRESS"
    pattern = (
        r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
        r"\.[A-Za-z]{2,}"
    )
    shared_pass = False
    context = ("email", "e-mail")
    header = r"(?i)e.?mail"
    score_valid = 0.95
    mask_keep = (1, 3)
    _compiled = re.compile(pattern, re.ASCII)

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        # Searching from every letter for a local part is slow; start at
        # each "@" and walk back instead.
        at = text.find("@")
        while at != -1:
            start = at
            while start > 0 and at - start < 64 and (
                text[start - 1] in _LOCAL_CHARS
            ):
                start -= 1
            while start < at and text[start] == ".":
                start += 1
            found = self._compiled.match(text, start)
            if found:
                yield found.span()
            at = text.find("@", at + 1)

    def candidates_in(self, view: TextView) -> Iterator[tuple[int, int]]:
        # The same walks as ``candidates``, for every "@" at once.
        text = view.text
        ats = []
        at = text.find("@")
        while at != -1:
            ats.append(at)
            at = text.find("@", at + 1)
        if not ats:
            return
        if len(ats) < _FEW:
            # numpy costs more than it saves on a few.
            yield from self.candidates(text)
            return
        codes = view.codes
        ends = np.array(ats)
        starts = ends.copy()
        active = np.arange(len(starts))
        for _ in range(64):
            active = active[starts[active] > 0]
            active = active[_LOCAL[codes[starts[active] - 1]]]
            if not len(active):
                break
            starts[active] -= 1
        active = np.arange(len(starts))
        while True:
            active = active[(starts[active] < ends[active])
                            & (codes[starts[active]] == _DOT)]
            if not len(active):
                break
            starts[active] += 1
        match = self._compiled.match
        for start in starts.tolist():
            found = match(text, start)
            if found:
                yield found.span()

    def verdict(self, value: str) -> Verdict:
        local = value.split("@", 1)[0]
        if local.startswith(".") or local.endswith(".") or ".." in local:
            return Verdict.INVALID
        return Verdict.VALID

    def verdict_array(self, values: pa.Array) -> pa.Array:
        bad_dots = pc.match_substring_regex(values, r"^\.|\.@|\.\.[^@]*@")
        return arrays.verdicts(pc.invert(bad_dots), Verdict.VALID.value,
                               Verdict.INVALID.value)

    def normalise(self, value: str) -> str:
        return value.lower()

    def normalise_array(self, values: pa.Array) -> pa.Array:
        return pc.utf8_lower(values)


class PhoneDetector(Detector):
    """UK telephone number.

    Ofcom National Telephone Numbering Plan: a national number is 0 and ten
    digits (nine for a few 01 areas); the digit after 0 is 1, 2, 3, 5, 7
    8 or 9. In international form ``+44`` replaces the 0, sometimes written
    ``+44 (0)``.
    """

    entity = "PHONE_NUMBER"
    pattern = (
        r"(?:\+44 ?(?:\(0\) ?)?|\(?0)\d{2,4}\)?[ \-]?\d{3,4}[ \-]?\d{3,4}"
    )
    family = "number"
    context = ("tel", "phone", "mobile", "call", "contact")
    header = r"(?i)phone|tel\b|mobile|contact.?n"
    score_valid = 0.75
    mask_keep = (0, 2)

    def verdict(self, value: str) -> Verdict:
        digits = _NOT_DIGIT.sub("", value.replace("(0)", ""))
        if value.startswith("+"):
            digits = "0" + digits[2:]
        if digits[1:2] not in {"1", "2", "3", "5", "7", "8", "9"}:
            return Verdict.INVALID
        if len(digits) == 11 or (len(digits) == 10 and digits[1] == "1"):
            return Verdict.VALID
        return Verdict.INVALID

    def verdict_array(self, values: pa.Array) -> pa.Array:
        # The same rules as ``verdict``, on the normalised digits.
        valid = pc.match_substring_regex(self.normalise_array(values),
                                         r"^0(?:[1235789]\d{9}|1\d{8})$")
        return arrays.verdicts(valid, Verdict.VALID.value,
                               Verdict.INVALID.value)

    def normalise(self, value: str) -> str:
        digits = _NOT_DIGIT.sub("", value.replace("(0)", ""))
        return "0" + digits[2:] if value.startswith("+") else digits

    def normalise_array(self, values: pa.Array) -> pa.Array:
        digits = arrays.digits_only(pc.replace_substring(values, "(0)", ""))
        international = pc.starts_with(values, "+")
        return pc.if_else(international, pc.binary_join_element_wise(
            arrays.text("0"), pc.utf8_slice_codeunits(digits, 2),
            arrays.text("")), digits)


class IpAddressDetector(Detector):
    """IPv4 address in dotted-quad form (RFC 791), each octet 0-255.

    An IP address linked to a person is personal data (ICO guidance on
    online identifiers). IPv6 is not detected yet.
    """

    entity = "IP_ADDRESS"
    pattern = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
    family = "number"
    context = ("ip", "address", "host", "client")
    header = r"(?i)\bip\b|ip.?addr|client.?addr|remote.?addr"
    score_valid = 0.8
    mask_keep = (3, 0)

    def verdict(self, value: str) -> Verdict:
        octets = value.split(".")
        for octet in octets:
            if int(octet) > 255:
                return Verdict.INVALID
        for octet in octets:
            if len(octet) > 1 and octet[0] == "0":
                return Verdict.INVALID
        return Verdict.VALID

    def verdict_array(self, values: pa.Array) -> pa.Array:
        octet = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)"
        valid = pc.match_substring_regex(
            values, rf"^{octet}\.{octet}\.{octet}\.{octet}$")
        return arrays.verdicts(valid, Verdict.VALID.value,
                               Verdict.INVALID.value)


EMAIL = register(EmailDetector())
PHONE = register(PhoneDetector())
IP_ADDRESS = register(IpAddressDetector())
