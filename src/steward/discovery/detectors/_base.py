"""The detector interface and the registry the engine compiles.

A new identifier type is one ``Detector`` subclass and one call to
``register``::

    class StaffNumberDetector(Detector):
        entity = "STAFF_NUMBER"
        pattern = r"SN\\d{6}"
        context = ("staff number",)

        def verdict(self, value: str) -> Verdict:
            return Verdict.VALID

    register(StaffNumberDetector())

``pattern`` must be valid for both Python's ``re`` and RE2 (no
look-around, no back-references, no capturing groups), because text is
scanned with ``re`` and table columns with pyarrow's RE2.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors._view import TextView


class Verdict(enum.Enum):
    """What a detector concludes about one candidate value."""

    #: A check beyond the shape passed (checksum, allocation rule, date).
    VALID = "valid"
    #: The shape is right and there is no further check to make.
    PLAUSIBLE = "plausible"
    #: A check passed, but so many other values pass it too that the value
    #: counts only with context (a UTR's check digit, a real calendar date).
    CHECKED_WEAK = "checked-weak"
    #: The shape is right but too common to count without context.
    WEAK = "weak"
    #: Not this identifier.
    INVALID = "invalid"


class Detector:
    """Finds and checks one kind of identifier.

    Subclasses set the class attributes and override ``verdict``; those
    whose candidates a single regular expression cannot find cheaply
    (e-mail addresses, dates of birth) override ``candidates`` too.
    """

    #: The entity name reported, e.g. ``UK_NINO``.
    entity: ClassVar[str]
    #: The candidate shape; see the module docstring for its dialect.
    pattern: ClassVar[str] = ""
    #: RE2 for cells of an unjudged column worth scanning as text; empty
    #: means ``pattern``. Set it when ``pattern`` matches far more cells
    #: than can hold the identifier in running text.
    cell_hint: ClassVar[str] = ""
    #: Detectors in one family compete for the same span; the best score
    #: wins. An empty family is a family of one.
    family: ClassVar[str] = ""
    #: True when candidates only occur inside runs of capitals, digits and
    #: code punctuation (`` +()-/.:``): the engine then finds them in one
    #: shared pass. False runs ``candidates`` (or ``pattern``) alone.
    shared_pass: ClassVar[bool] = True
    #: Lower-case words that, just before a value, raise confidence.
    context: ClassVar[tuple[str, ...]] = ()
    #: A regular expression that, searched in a column header, counts as
    #: context for every value in the column.
    header: ClassVar[str] = ""
    #: Scores for a candidate without and with context.
    score_valid: ClassVar[float] = 0.85
    score_plausible: ClassVar[float] = 0.6
    score_weak: ClassVar[float] = 0.5
    context_bonus: ClassVar[float] = 0.1
    #: Characters of a value that masking may leave visible, counted from
    #: the start and from the end of its letters and digits.
    mask_keep: ClassVar[tuple[int, int]] = (2, 0)

    def verdict(self, value: str) -> Verdict:
        """Judge ``value``, a string that matched ``pattern`` in full."""
        raise NotImplementedError

    def candidates(self, text: str) -> Iterator[tuple[int, int]] | None:
        """Yield candidate spans, or return ``None`` to use ``pattern``."""
        return None

    def candidates_in(self, view: TextView
                      ) -> Iterator[tuple[int, int]] | None:
        """``candidates`` for the text of ``view``: the same spans, in the
        same order, found with the help of what the view knows about the
        text (where its digits are, say) rather than by a pass over all
        of it. The default asks ``candidates``."""
        return self.candidates(view.text)

    def verdict_array(self, values: pa.Array) -> pa.Array | None:
        """Verdicts (``Verdict.value`` strings) for a whole column of
        values that match ``pattern``, or ``None`` when this detector has
        no vectorised check and ``verdict`` is called per distinct value.
        """
        return None

    def normalise(self, value: str) -> str:
        """The form two equal values share, used for distinct counts."""
        return "".join(value.split()).replace("-", "").upper()

    def normalise_array(self, values: pa.Array) -> pa.Array:
        """``normalise`` over a column."""
        if type(self).normalise is Detector.normalise:
            return _without_spaces_upper(values)
        return pa.array([self.normalise(v) for v in values.to_pylist()],
                        pa.string())

    def score(self, verdict: Verdict, in_context: bool) -> float | None:
        """The confidence for a verdict, or ``None`` when it is dropped."""
        if verdict is Verdict.INVALID:
            return None
        weak = verdict in (Verdict.WEAK, Verdict.CHECKED_WEAK)
        if weak and not in_context:
            return None
        if weak:
            base = self.score_weak
        elif verdict is Verdict.VALID:
            base = self.score_valid
        else:
            base = self.score_plausible
        bonus = self.context_bonus if in_context else 0.0
        return round(min(1.0, base + bonus), 2)


# ASCII characters other than the space that ``str.split()`` treats as
# white space.
_OTHER_SPACE = [9, 10, 11, 12, 13, 28, 29, 30, 31]


def _without_spaces_upper(values: pa.Array) -> pa.Array:
    """``Detector.normalise`` over a column: with Arrow's literal kernels
    when the column is ASCII with no white space but plain spaces, else
    value by value."""
    _, data = arrays.utf8_buffers(values)
    counts = np.bincount(data, minlength=256)
    if counts[0x80:].any() or counts[_OTHER_SPACE].any():
        return pa.array([
            None if v is None
            else Detector.normalise(None, v)  # type: ignore[arg-type]
            for v in values.to_pylist()], pa.string())
    for dropped in (" ", "-"):
        if counts[ord(dropped)]:
            values = pc.replace_substring(values, dropped, "")
    if counts[97:123].any():
        values = pc.ascii_upper(values)
    return values


_REGISTRY: dict[str, Detector] = {}
_GENERATION = [0]


def register(detector: Detector) -> Detector:
    """Add ``detector`` to the set every scan uses; returns it.

    Registering a second detector for an entity replaces the first.
    """
    if not getattr(detector, "entity", ""):
        raise ValueError("a detector needs an entity name")
    _REGISTRY[detector.entity] = detector
    _GENERATION[0] += 1
    return detector


def unregister(entity: str) -> None:
    """Remove the detector for ``entity``; no error if there is none."""
    if _REGISTRY.pop(entity, None) is not None:
        _GENERATION[0] += 1


def registered() -> tuple[Detector, ...]:
    """The registered detectors, in registration order."""
    return tuple(_REGISTRY.values())


def generation() -> int:
    """A number that changes whenever the registry does."""
    return _GENERATION[0]
