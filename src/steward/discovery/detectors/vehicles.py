"""Vehicle registration marks."""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors._base import Detector, Verdict, register


class VehicleRegistrationDetector(Detector):
    """GB vehicle registration mark in the current (2001) format.

    DVLA INF104 "Vehicle registration numbers and number plates": two
    letters for the area (the first never I, Q or Z), a two-digit age
    identifier (March: 02 to 29; September: 51 to 79) and three random
    letters that never include I or Q. Older prefix and suffix marks are
    too like other codes to find without context and are left out.
    """

    entity = "UK_VEHICLE_REGISTRATION"
    pattern = (
        r"[A-HJ-PR-Y][A-HJ-PR-Y](?:0[2-9]|[12]\d|5[1-9]|[67]\d) ?"
        r"[A-HJ-PR-Z]{3}"
    )
    family = "letters"
    context = ("registration", "reg", "vehicle", "vrm", "number plate")
    header = r"(?i)\breg|vrm|vehicle|number.?plate"
    score_valid = 0.7
    mask_keep = (2, 0)

    def verdict(self, value: str) -> Verdict:
        return Verdict.VALID

    def verdict_array(self, values: pa.Array) -> pa.Array:
        return arrays.constant(values, Verdict.VALID.value)


VEHICLE_REGISTRATION = register(VehicleRegistrationDetector())
