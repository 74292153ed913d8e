"""Finds identifiers in text with as few passes over it as possible.

Most identifiers are runs of capitals, digits and code punctuation. One
regular expression finds those runs ("regions"): its first character class
lets Python's engine skip ordinary prose quickly. Inside each region one
alternation of every shared-pass detector's pattern finds candidates, and
each candidate is judged by every detector of its family, the best score
winning. Detectors that cannot work that way (names, e-mail addresses,
dates of birth) run their own pass.

Most of a text is prose that holds no region worth a look: every value of
the built-in shared-pass detectors holds an ASCII digit (the engine reads
that off each pattern, see ``_patterns``). A ``TextView`` finds the
digits with numpy, and the region expression runs only over the runs of
region characters around them; the regions it finds there are the ones a
pass over the whole text finds, and the others cannot hold a match. The
own-pass detectors use the same view (``Detector.candidates_in``).

Patterns are compiled with ``re.ASCII`` so that ``\\d`` means here what it
means to RE2, which scans table columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from steward.discovery._match import Match
from steward.discovery._patterns import min_digits, min_width
from steward.discovery.detectors import Detector, registered
from steward.discovery.detectors._base import Verdict, generation
from steward.discovery.detectors._view import TextView, runs_around

# Shortest shared-pass value: a postcode such as "A9 9AA".
_REGION = re.compile(r"[A-Z0-9+(][A-Z0-9 +()\-/.:]{5,}")
# The characters a region is made of, by character code.
_REGION_CHARS = np.zeros(256, bool)
_REGION_CHARS[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
               " +()-/.:"]] = True
# Digits further apart than this are looked at in separate windows.
_DIGIT_GAP = 32
_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 20


class _Rule:
    """One detector and what the inner loops need of it."""

    __slots__ = ("detector", "entity", "verdict", "words", "scores",
                 "ceiling", "pattern", "match", "family", "everyone")

    def __init__(self, detector: Detector) -> None:
        self.detector = detector
        self.entity = detector.entity
        self.verdict = detector.verdict
        # The context words as one pattern, or None when there are none.
        self.words = (re.compile("|".join(re.escape(word)
                                          for word in detector.context))
                      if detector.context else None)
        # Detector.score is a pure function of its arguments, called for
        # every candidate: its answers are kept, by id of the verdict (an
        # enum's hash is a Python call) and whether in context.
        self.scores: dict[tuple[int, bool], float | None] = {}
        self.ceiling = _ceiling(detector)
        self.pattern = re.compile(detector.pattern, re.ASCII)
        self.match = self.pattern.match
        # The rivals to try when this detector wins the alternation and
        # accepts the span (its family), and when it rejects it (every
        # shared detector): only those after it in the alternation, since
        # those before it have just failed to match at the same place.
        self.family: tuple[_Rule, ...] = ()
        self.everyone: tuple[_Rule, ...] = ()


def _ceiling(detector: Detector) -> float:
    """The highest score the detector can give."""
    base = max(detector.score_valid, detector.score_plausible,
               detector.score_weak)
    return min(1.0, base + detector.context_bonus)


class _Alternation:
    """The alternation of the shared-pass patterns a region with a given
    number of digits can hold, in registration order (leaving out those
    that cannot match changes no match), and the rule of each group."""

    __slots__ = ("search", "finditer", "rules")

    def __init__(self, rules: list[_Rule]) -> None:
        pattern = re.compile("|".join(
            f"(?P<d{index}>{rule.detector.pattern})"
            for index, rule in enumerate(rules)), re.ASCII)
        self.search = pattern.search
        self.finditer = pattern.finditer
        self.rules = {pattern.groupindex[f"d{index}"]: rule
                      for index, rule in enumerate(rules)}


@dataclass(frozen=True, slots=True)
class _Compiled:
    generation: int
    # By the number of digits in a region (the last for that many or
    # more), the alternation to search it with; None: nothing to find.
    alternations: tuple[_Alternation | None, ...]
    # The shortest value of any shared-pass pattern (0: some pattern can
    # match the empty string, and regions are searched with finditer).
    min_width: int
    # Whether every shared-pass value holds an ASCII digit.
    digits_only: bool
    # The detectors that run their own pass.
    own: tuple[_Rule, ...]
    # Every detector's rule, by entity.
    rules: dict[str, _Rule]
    # Whether every context word is ASCII: then a window of the text
    # lowered whole holds the words the window lowered alone holds.
    ascii_context: bool


_cache: list[_Compiled] = []


def _compiled() -> _Compiled:
    if _cache and _cache[0].generation == generation():
        return _cache[0]
    detectors = registered()
    shared = [d for d in detectors if d.shared_pass]
    families: dict[str, list[Detector]] = {}
    for d in shared:
        families.setdefault(d.family or d.entity, []).append(d)
    rules = {d.entity: _Rule(d) for d in detectors}
    for index, d in enumerate(shared):
        after = shared[index + 1:]
        rules[d.entity].family = tuple(
            rules[f.entity] for f in families[d.family or d.entity]
            if f in after)
        rules[d.entity].everyone = tuple(rules[f.entity] for f in after)
    needs = {d.entity: min_digits(d.pattern) for d in shared}
    alternations = []
    for count in range(max(needs.values(), default=-1) + 1):
        usable = [rules[d.entity] for d in shared if needs[d.entity] <= count]
        alternations.append(_Alternation(usable) if usable else None)
    compiled = _Compiled(
        generation=generation(),
        alternations=tuple(alternations),
        min_width=min((min_width(d.pattern) for d in shared), default=0),
        digits_only=all(needs.values()),
        own=tuple(rules[d.entity] for d in detectors if not d.shared_pass),
        rules=rules,
        ascii_context=all(word.isascii() for d in detectors
                          for word in d.context),
    )
    _cache[:] = [compiled]
    return compiled


def _region_windows(engine: _Compiled, view: TextView
                    ) -> Iterable[tuple[int, int]]:
    """Stretches of the text to look for regions in: all of it, or, when
    every shared-pass value holds a digit, the runs of region characters
    around each group of digits (merged where they meet)."""
    if not engine.digits_only:
        return ((0, len(view.text)),)
    firsts, lasts = view.digit_clusters(_DIGIT_GAP)
    if not len(firsts):
        return ()
    starts, ends = runs_around(view.codes, _REGION_CHARS, firsts, lasts)
    # A run can hold the digits of two groups: merge overlapping windows.
    later = np.flatnonzero(starts[1:] > np.maximum.accumulate(ends)[:-1])
    return zip(np.concatenate((starts[:1], starts[later + 1])).tolist(),
               np.concatenate((ends[later], ends[-1:])).tolist(),
               strict=True)


class _Scan:
    """One text being scanned, and the matches found in it so far.

    ``shared`` is the scan's inner loop, written out for speed: per
    candidate the winner of the alternation is judged; unless it is
    checked and in context, each rival (its family when the winner
    accepted the span, every shared detector when it did not) that could
    score higher is matched at the same start and judged too, and the
    best score (then the longer span) wins."""

    __slots__ = ("text", "size", "lowered", "matches")

    def __init__(self, text: str, lowered: str | None) -> None:
        self.text = text
        self.size = len(text)
        # The text lowered whole, when that is the same as lowering each
        # context window (see TextView.lowered).
        self.lowered = lowered
        self.matches: list[Match] = []

    def shared(self, engine: _Compiled, view: TextView) -> None:
        """The regions of the text, and in each the best match for every
        candidate the alternation finds."""
        text = self.text
        spans = [region.span()
                 for low, high in _region_windows(engine, view)
                 for region in _REGION.finditer(text, low, high)]
        if not spans or not engine.alternations:
            return
        # The digits in each region pick the alternation to search it with.
        bounds = np.array(spans, np.int64)
        digits = view.digits()
        counts = np.minimum(
            np.searchsorted(digits, bounds[:, 1])
            - np.searchsorted(digits, bounds[:, 0]),
            len(engine.alternations) - 1).tolist()
        alternations = engine.alternations
        shortest = engine.min_width
        take = self.take
        for (begin, limit), count in zip(spans, counts, strict=True):
            alternation = alternations[count]
            if alternation is None:
                continue
            rules = alternation.rules
            taken = begin
            if not shortest:
                # Some pattern matches the empty string: finditer knows
                # where to look next after one.
                for each in alternation.finditer(text, begin, limit):
                    if each.start() >= taken:
                        taken = max(taken, take(each, limit, rules))
                continue
            # Search on from the end of each candidate, as finditer
            # would, while a value still fits.
            search = alternation.search
            found = search(text, begin, limit)
            while found is not None:
                end = found.end()
                if found.start() >= taken:
                    ended = take(found, limit, rules)
                    if ended > taken:
                        taken = ended
                if limit - end < shortest:
                    break
                found = search(text, end, limit)

    def take(self, found: re.Match[str], limit: int,
             rules: dict[int, _Rule]) -> int:
        """Judge one candidate of the shared pass; keep the best match
        for it and return where that ends, or return -1."""
        text = self.text
        start = found.start()
        # Every rival starts here too: a letter or digit before the start
        # rules them all out.
        if start and text[start - 1].isalnum():
            return -1
        winner = rules[found.lastindex or 0]
        judged = self.judged
        best = judged(winner, start, found.end())
        if best is not None:
            if best[4] and best[3] >= 0.9:
                # Checked and in context: no rival can do better.
                self.matches.append(best)
                return best[1]
            rivals = winner.family
        else:
            rivals = winner.everyone
        for rule in rivals:
            if best is not None and rule.ceiling <= best[3]:
                continue
            other = rule.match(text, start, limit)
            if other is None:
                continue
            match = judged(rule, start, other.end())
            if match is not None and (
                    best is None
                    or (match[3], match[1]) > (best[3], best[1])):
                best = match
        if best is None:
            return -1
        self.matches.append(best)
        return best[1]

    def own(self, rule: _Rule, view: TextView) -> None:
        """The matches of a detector that finds its own candidates."""
        spans = rule.detector.candidates_in(view)
        if spans is None:
            spans = (found.span() for found in rule.pattern.finditer(
                self.text))
        self.judge_spans(rule, spans)

    def judge_spans(self, rule: _Rule,
                    spans: Iterable[tuple[int, int]]) -> None:
        text = self.text
        judged = self.judged
        append = self.matches.append
        for start, end in spans:
            if start > 0 and text[start - 1].isalnum():
                continue
            match = judged(rule, start, end)
            if match is not None:
                append(match)

    def judged(self, rule: _Rule, start: int, end: int) -> Match | None:
        """A match for a span whose start is known to be clear of letters
        and digits, or None when the detector rejects it.

        Context is looked for in the 40 characters before the span and
        the 20 after it, lowered, a space between."""
        text = self.text
        if end < self.size and text[end].isalnum():
            return None
        verdict = rule.verdict(text[start:end])
        if verdict is _INVALID:
            return None
        words = rule.words
        if words is None:
            in_context = False
        else:
            before = start - _CONTEXT_BEFORE
            if before < 0:
                before = 0
            lowered = self.lowered
            if lowered is None:
                in_context = words.search((
                    text[before:start] + " " + text[end:end + _CONTEXT_AFTER]
                ).lower()) is not None
            # A word wholly before the span is in the window (and most
            # context comes before): no need to cut the window then.
            elif words.search(lowered, before, start) is not None:
                in_context = True
            else:
                in_context = words.search(
                    lowered[before:start] + " "
                    + lowered[end:end + _CONTEXT_AFTER]) is not None
        scores = rule.scores
        key = (id(verdict), in_context)
        try:
            score = scores[key]
        except KeyError:
            score = scores[key] = rule.detector.score(verdict, in_context)
        if score is None:
            return None
        # tuple.__new__ rather than Match(...): the named tuple's own
        # constructor is a Python function, and scans make millions.
        return _new(Match, (start, end, rule.entity, score,
                            verdict is _VALID or verdict is _CHECKED_WEAK))


_new = tuple.__new__
_INVALID, _VALID, _CHECKED_WEAK = (
    Verdict.INVALID, Verdict.VALID, Verdict.CHECKED_WEAK)


def _rule(detector: Detector) -> _Rule:
    engine = _compiled()
    rule = engine.rules.get(detector.entity)
    return (rule if rule is not None and rule.detector is detector
            else _Rule(detector))


def judge(
    detector: Detector, text: str, start: int, end: int
) -> Match | None:
    """A match for the span, or ``None`` when the detector rejects it."""
    if start > 0 and text[start - 1].isalnum():
        return None
    return _Scan(text, None).judged(_rule(detector), start, end)


def in_context(detector: Detector, text: str, start: int, end: int) -> bool:
    """Whether one of the detector's context words is near the span."""
    words = _rule(detector).words
    if words is None:
        return False
    window = (text[max(0, start - _CONTEXT_BEFORE):start] + " "
              + text[end:end + _CONTEXT_AFTER]).lower()
    return words.search(window) is not None


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
    view = TextView(text)
    scan = _Scan(text, view.lowered() if engine.ascii_context else None)
    scan.shared(engine, view)
    for rule in engine.own:
        scan.own(rule, view)
    return _without_overlaps(scan.matches)
