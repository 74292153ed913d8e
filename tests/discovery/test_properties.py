"""Properties: planted identifiers are found exactly; masks stay masks."""

from __future__ import annotations

import random
import re

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.discovery import Detector, mask, registered, scan_text
from steward.discovery._masking import allowed, visible_count
from tests.discovery.files import Corpus

_IDS = Corpus(0).ids
_MAKERS = {
    "UK_NINO": _IDS.nino,
    "UK_NHS": _IDS.nhs,
    "CREDIT_CARD": _IDS.card,
    "IBAN_CODE": _IDS.iban,
    "UK_VEHICLE_REGISTRATION": _IDS.plate,
    "IP_ADDRESS": _IDS.ip,
    "PHONE_NUMBER": _IDS.phone,
}
# Lower-case filler: it can hold no identifier of its own.
_filler = st.text(alphabet="abcdefghij klmnop,.;\n", max_size=60)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(entity=st.sampled_from(sorted(_MAKERS)), seed=st.integers(0, 10**9),
       before=_filler, after=_filler)
def test_planted_identifier_is_found_with_its_span(
    entity: str, seed: int, before: str, after: str
) -> None:
    """A valid identifier between random words is found exactly."""
    _IDS.rng = random.Random(seed)
    value = _MAKERS[entity]()
    text = f"{before} {value} {after}"
    start = len(before) + 1
    spans = [(m.start, m.end, m.entity) for m in scan_text(text)]
    assert (start, start + len(value), entity) in spans


@settings(max_examples=300, deadline=None)
@given(value=st.text(min_size=0, max_size=40),
       head=st.integers(0, 10), tail=st.integers(0, 10))
def test_mask_never_shows_more_than_allowed(value: str, head: int,
                                            tail: int) -> None:
    """At most the allowed letters and digits survive masking, and the
    mask keeps the value's length and separators."""
    masked = mask(value, (head, tail))
    letters = sum(1 for c in value if c.isalnum())
    assert visible_count(masked) <= min(head + tail, allowed(letters))
    assert len(masked) == len(value)
    for original, shown in zip(value, masked, strict=True):
        assert shown == original or shown == "*"


def test_every_detector_mask_hides_at_least_half() -> None:
    """Each detector's own mask setting obeys the bound on real values."""
    for detector in registered():
        for value in ("AB 12 34 56 C", "943 476 5919", "jane@example.com"):
            masked = mask(value, detector.mask_keep)
            letters = sum(1 for c in value if c.isalnum())
            assert visible_count(masked) <= letters // 2 + 1


_VECTORISED = [d for d in registered()
               if d.verdict_array(pa.array(["x"], pa.string())) is not None]


@pytest.mark.parametrize("detector", _VECTORISED, ids=lambda d: d.entity)
def test_vectorised_checks_agree_with_scalar_ones(detector: Detector
                                                  ) -> None:
    """verdict_array and normalise_array give what verdict and normalise
    give, value by value, on values of the detector's shape."""
    shape = re.compile(detector.pattern, re.ASCII)
    values = st.lists(st.from_regex(shape, fullmatch=True),
                      min_size=1, max_size=10)

    @settings(max_examples=30, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(batch=values)
    def check(batch: list[str]) -> None:
        planted = _valid_examples(detector)
        batch = batch + planted
        array = pa.array(batch, pa.string())
        vectorised = detector.verdict_array(array).to_pylist()
        assert vectorised == [detector.verdict(v).value for v in batch]
        assert detector.normalise_array(array).to_pylist() == [
            detector.normalise(v) for v in batch]

    check()


def _valid_examples(detector: Detector) -> list[str]:
    maker = _MAKERS.get(detector.entity)
    return [maker() for _ in range(5)] if maker else []


@pytest.mark.parametrize("detector", registered(), ids=lambda d: d.entity)
def test_normalise_array_agrees(detector: Detector) -> None:
    values = ["AB 12-34 56 c", "Jane.Doe@Example.COM", "+44 (0)20 7946 0958",
              "  Mary   Ann  "]
    array = pa.array(values, pa.string())
    assert detector.normalise_array(array).to_pylist() == [
        detector.normalise(v) for v in values]
