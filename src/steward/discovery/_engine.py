"""Finds identifiers in text with as few passes over it as possible.

Most identifiers are runs of capitals, digits and code punctuation. One
regular expression finds those runs ("regions"): its first character class
lets Python's engine skip ordinary prose quickly. Inside each region one
alternation of every shared-pass detector's pattern finds candidates, and
each candidate is judged by every detector of its family, the best score
winning. Detectors that cannot work that way (names, e-mail addresses,
dates of birth) run their own pass.

Patterns are compiled with ``re.ASCII`` so that ``\\d`` means here what it
means to RE2, which scans table columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steward.discovery._match import Match
from steward.discovery.detectors import Detector, registered
from steward.discovery.detectors._base import Verdict, generation

# Shortest shared-pass value: a postcode such as "A9 9AA".
_REGION = re.compile(r"[A-Z0-9+(][A-Z0-9 +()\-/.:]{5,}")
_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 20
_CHECKED = (Verdict.VALID, Verdict.CHECKED_WEAK)


@dataclass(frozen=True, slots=True)
class _Compiled:
    generation: int
    shared: re.Pattern[str] | None
    by_group: dict[str, Detector]
    alone: dict[str, re.Pattern[str]]
    family: dict[str, tuple[Detector, ...]]
    own: tuple[Detector, ...]
    ceiling: dict[str, float]


_cache: list[_Compiled] = []


def _compiled() -> _Compiled:
    if _cache and _cache[0].generation == generation():
        return _cache[0]
    detectors = registered()
    shared = [d for d in detectors if d.shared_pass]
    groups = {f"d{index}": d for index, d in enumerate(shared)}
    combined = "|".join(f"(?P<{g}>{d.pattern})" for g, d in groups.items())
    families: dict[str, list[Detector]] = {}
    for d in shared:
        families.setdefault(d.family or d.entity, []).append(d)
    compiled = _Compiled(
        generation=generation(),
        shared=re.compile(combined, re.ASCII) if combined else None,
        by_group=groups,
        alone={d.entity: re.compile(d.pattern, re.ASCII) for d in shared},
        family={
            d.entity: tuple(families[d.family or d.entity]) for d in shared
        },
        own=tuple(d for d in detectors if not d.shared_pass),
        ceiling={d.entity: _ceiling(d) for d in detectors},
    )
    _cache[:] = [compiled]
    _SCORES.clear()
    _CONTEXTS.clear()
    return compiled


class _Text:
    """The scanned text, and the windows around spans where context words
    are looked for, lowered one at a time (far fewer characters than the
    whole text)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def window(self, start: int, end: int) -> str:
        text = self.text
        before = start - _CONTEXT_BEFORE
        return (text[before if before > 0 else 0:start] + " "
                + text[end:end + _CONTEXT_AFTER]).lower()


def in_context(detector: Detector, text: str, start: int, end: int) -> bool:
    """Whether one of the detector's context words is near the span."""
    return _in_context(detector, _Text(text), start, end)


def _in_context(detector: Detector, text: _Text, start: int, end: int) -> bool:
    if not detector.context:
        return False
    words = _CONTEXTS.get(id(detector))
    if words is None:
        words = _CONTEXTS[id(detector)] = re.compile(
            "|".join(re.escape(word) for word in detector.context))
    return words.search(text.window(start, end)) is not None


# Each detector's context words as one pattern, by id of the detector.
_CONTEXTS: dict[int, re.Pattern[str]] = {}


def judge(
    detector: Detector, text: str, start: int, end: int
) -> Match | None:
    """A match for the span, or ``None`` when the detector rejects it."""
    return _judge(detector, _Text(text), start, end)


def _judge(
    detector: Detector, source: _Text, start: int, end: int
) -> Match | None:
    text = source.text
    if start > 0 and text[start - 1].isalnum():
        return None
    if end < len(text) and text[end].isalnum():
        return None
    verdict = detector.verdict(text[start:end])
    if verdict is Verdict.INVALID:
        return None
    in_context = _in_context(detector, source, start, end)
    key = (id(detector), id(verdict), in_context)
    try:
        score = _SCORES[key]
    except KeyError:
        score = _SCORES[key] = detector.score(verdict, in_context)
    if score is None:
        return None
    # tuple.__new__ rather than Match(...): the named tuple's own
    # constructor is a Python function, and scans make millions.
    return _new(Match, (start, end, detector.entity, score,
                        verdict is Verdict.VALID
                        or verdict is Verdict.CHECKED_WEAK))


_new = tuple.__new__


# Detector.score is a pure function of its arguments; scans call it for
# every candidate, so its answers are kept, by ids of the detector and
# the verdict (an enum's hash is a Python call).
_SCORES: dict[tuple[int, int, bool], float | None] = {}


def _ceiling(detector: Detector) -> float:
    """The highest score the detector can give."""
    base = max(detector.score_valid, detector.score_plausible,
               detector.score_weak)
    return min(1.0, base + detector.context_bonus)


def _best_of(
    engine: _Compiled,
    source: _Text,
    found: re.Match[str],
    limit: int,
) -> Match | None:
    winner = engine.by_group[found.lastgroup or ""]
    start = found.start()
    best = _judge(winner, source, start, found.end())
    if best is not None and best.validated and best.score >= 0.9:
        # Checked and in context: no rival can do better.
        return best
    # Rivals for the span: the family when the winner accepted it, every
    # shared detector when it did not.
    rivals = (
        engine.family[winner.entity]
        if best is not None
        else tuple(engine.by_group.values())
    )
    for detector in rivals:
        if detector is winner or (
            best is not None and engine.ceiling[detector.entity] <= best.score
        ):
            continue
        other = engine.alone[detector.entity].match(source.text, start, limit)
        if other is None:
            continue
        match = _judge(detector, source, start, other.end())
        if match and (
            best is None
            or (match.score, match.end) > (best.score, best.end)
        ):
            best = match
    return best


def _shared_pass(engine: _Compiled, source: _Text) -> list[Match]:
    matches: list[Match] = []
    shared = engine.shared
    if shared is None:
        return matches
    text = source.text
    for region in _REGION.finditer(text):
        begin, limit = region.span()
        taken = begin
        for found in shared.finditer(text, begin, limit):
            if found.start() < taken:
                continue
            match = _best_of(engine, source, found, limit)
            if match is not None:
                matches.append(match)
                taken = match.end
    return matches


def _own_pass(detector: Detector, source: _Text) -> list[Match]:
    spans = detector.candidates(source.text)
    if spans is None:
        pattern = re.compile(detector.pattern, re.ASCII)
        spans = (found.span() for found in pattern.finditer(source.text))
    matches = []
    for start, end in spans:
        match = _judge(detector, source, start, end)
        if match is not None:
            matches.append(match)
    return matches


def _without_overlaps(matches: list[Match]) -> list[Match]:
    # In order of position; of two overlapping matches the one with the
    # higher score (then the longer) stays. Kept matches never overlap, so
    # a new one can only clash with the last kept.
    kept: list[Match] = []
    for match in sorted(matches):
        if kept and match.start < kept[-1].end:
            last = kept[-1]
            if (match.score, match.end - match.start) > (
                last.score,
                last.end - last.start,
            ):
                kept[-1] = match
            continue
        kept.append(match)
    return kept


def scan_text(text: str) -> list[Match]:
    """Every identifier found in ``text``, in order of position."""
    engine = _compiled()
    source = _Text(text)
    matches = _shared_pass(engine, source)
    for detector in engine.own:
        matches.extend(_own_pass(detector, source))
    return _without_overlaps(matches)
