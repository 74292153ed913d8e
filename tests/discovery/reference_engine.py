"""The free-text engine as it was before the numpy prefilters: plain
passes of Python's regular expressions over the whole text.

Slow and simple, it is the reference the fast engine is held to: for any
text, ``steward.discovery.scan_text`` must return exactly what
``reference_scan`` returns (same spans, entities, scores and flags).
Own-pass detectors are asked for ``candidates(text)``, the whole-text
form that ``candidates_in`` must agree with.
"""

from __future__ import annotations

import re

from steward.discovery._match import Match
from steward.discovery.detectors import Detector, Verdict, registered

_REGION = re.compile(r"[A-Z0-9+(][A-Z0-9 +()\-/.:]{5,}")


def _ceiling(detector: Detector) -> float:
    base = max(detector.score_valid, detector.score_plausible,
               detector.score_weak)
    return min(1.0, base + detector.context_bonus)


def _in_context(detector: Detector, text: str, start: int, end: int
                ) -> bool:
    if not detector.context:
        return False
    window = (text[max(0, start - 40):start] + " "
              + text[end:end + 20]).lower()
    return any(word in window for word in detector.context)


def _judge(detector: Detector, text: str, start: int, end: int
           ) -> Match | None:
    if start > 0 and text[start - 1].isalnum():
        return None
    if end < len(text) and text[end].isalnum():
        return None
    verdict = detector.verdict(text[start:end])
    if verdict is Verdict.INVALID:
        return None
    in_context = _in_context(detector, text, start, end)
    score = detector.score(verdict, in_context)
    if score is None:
        return None
    return Match(start, end, detector.entity, score,
                 verdict in (Verdict.VALID, Verdict.CHECKED_WEAK))


def _shared(text: str, detectors: list[Detector]) -> list[Match]:
    if not detectors:
        return []
    groups = {f"d{index}": d for index, d in enumerate(detectors)}
    combined = re.compile(
        "|".join(f"(?P<{g}>{d.pattern})" for g, d in groups.items()),
        re.ASCII)
    alone = {d.entity: re.compile(d.pattern, re.ASCII) for d in detectors}
    families: dict[str, list[Detector]] = {}
    for d in detectors:
        families.setdefault(d.family or d.entity, []).append(d)
    matches = []
    for region in _REGION.finditer(text):
        begin, limit = region.span()
        taken = begin
        for found in combined.finditer(text, begin, limit):
            if found.start() < taken:
                continue
            winner = groups[found.lastgroup or ""]
            start = found.start()
            best = _judge(winner, text, start, found.end())
            if not (best is not None and best.validated
                    and best.score >= 0.9):
                rivals = (families[winner.family or winner.entity]
                          if best is not None else detectors)
                for detector in rivals:
                    if detector is winner or (
                            best is not None
                            and _ceiling(detector) <= best.score):
                        continue
                    other = alone[detector.entity].match(text, start, limit)
                    if other is None:
                        continue
                    match = _judge(detector, text, start, other.end())
                    if match and (best is None or (match.score, match.end)
                                  > (best.score, best.end)):
                        best = match
            if best is not None:
                matches.append(best)
                taken = best.end
    return matches


def _own(text: str, detector: Detector) -> list[Match]:
    spans = detector.candidates(text)
    if spans is None:
        pattern = re.compile(detector.pattern, re.ASCII)
        spans = (found.span() for found in pattern.finditer(text))
    return [match for start, end in spans
            if (match := _judge(detector, text, start, end)) is not None]


def reference_scan(text: str) -> list[Match]:
    """Every identifier in ``text``, found the slow way."""
    detectors = registered()
    matches = _shared(text, [d for d in detectors if d.shared_pass])
    for detector in detectors:
        if not detector.shared_pass:
            matches.extend(_own(text, detector))
    kept: list[Match] = []
    for match in sorted(matches):
        if kept and match.start < kept[-1].end:
            last = kept[-1]
            if (match.score, match.end - match.start) > (
                    last.score, last.end - last.start):
                kept[-1] = match
            continue
        kept.append(match)
    return kept
