"""Where a person lives: the UK postcode."""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors._base import Detector, Verdict, register


class PostcodeDetector(Detector):
    """UK postcode, including GIR 0AA and British Forces (BFPO) numbers.

    Royal Mail PAF Programmers' Guide: an outward code in one of the shapes
    A9, A99, AA9, AA99, A9A, AA9A, a space, and an inward code of a digit
    and two letters that never include C, I, K, M, O or V. The letter
    classes follow the same guide: Q, V and X never start a postcode; I, J
    and Z are never second; the third letter of A9A is one of A-H, J, K,
    P, S-U, W and the fourth of AA9A one of A, B, E, H, M, N, P, R, V-Y.
    The shape is the whole check: the ONS Postcode Directory would be
    needed to tell a real postcode from a possible one.
    """

    entity = "UK_POSTCODE"
    pattern = (
        r"GIR ?0AA|BFPO ?\d{1,4}"
        r"|[A-PR-UWYZ](?:\d[A-HJKPSTUW0-9]?|[A-HK-Y]\d[ABEHMNPRV-Y0-9]?)"
        r" ?\d[ABD-HJLNP-UW-Z]{2}"
    )
    family = "letters"
    context = ("postcode", "post code", "address")
    header = r"(?i)post.?code|zip|address"
    score_valid = 0.7
    mask_keep = (2, 0)

    def verdict(self, value: str) -> Verdict:
        return Verdict.VALID

    def verdict_array(self, values: pa.Array) -> pa.Array:
        return arrays.constant(values, Verdict.VALID.value)


POSTCODE = register(PostcodeDetector())
