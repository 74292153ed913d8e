"""Finds identifiers in text with as few passes over it as possible.

Most identifiers are runs of capitals, digits and code punctuation
("regions", those ``_REGION`` matches). Inside each region one
alternation of the shared-pass detectors' patterns finds candidates, and
each candidate is judged by every detector of its family, the best score
winning. Detectors that cannot work that way (names, e-mail addresses,
dates of birth) run their own pass.

Where the work goes, and what keeps it small (``tests/discovery`` holds
the fast paths to the plain whole-text passes of ``reference_engine``):

* Most of a text is prose that holds no region worth a look: every value
  of the built-in shared-pass detectors holds an ASCII digit (read off
  each pattern, see ``_patterns``). A ``TextView`` finds the digits with
  numpy; the regions are the runs of region characters around them, found
  with numpy too. A region is searched only with the patterns its numbers
  of digits and capitals allow, each pattern marked by an empty group
  after it.
* Candidates are judged in batches (``_Scan``): boundaries read off the
  character codes, verdicts with a detector's ``verdict_array`` from the
  codes when there are many, context words with Arrow's RE2 over windows
  cut from the codes. A winner that is checked and in context, or that
  no rival could outscore, stands; for the others, the rivals after the
  winner in the alternation that can start with the candidate's first
  character and fit its region's digits are tried, a rival at a time
  over every candidate it rivals, and judged in batches too.
* The cyclic garbage collector is paused during a scan (its matches are
  tuples the collector tracks; it makes no reference cycle).
* The own-pass detectors find their candidates from the same view
  (``Detector.candidates_in``).

Patterns are compiled with ``re.ASCII`` so that ``\\d`` means here what it
means to RE2, which scans table columns.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from numpy.lib.stride_tricks import sliding_window_view

from steward.discovery._match import Match
from steward.discovery._patterns import (
    first_chars,
    min_capitals,
    min_digits,
    min_width,
)
from steward.discovery.detectors import Detector, registered
from steward.discovery.detectors._base import Verdict, generation
from steward.discovery.detectors._view import OTHER, TextView, runs_around

# Shortest shared-pass value: a postcode such as "A9 9AA".
_REGION = re.compile(r"[A-Z0-9+(][A-Z0-9 +()\-/.:]{5,}")
# The characters a region is made of, by character code.
_REGION_CHARS = np.zeros(256, bool)
_REGION_CHARS[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
               " +()-/.:"]] = True
# A region's shortest length.
_REGION_LEAST = 6
# Digits further apart than this are looked at in separate windows.
_DIGIT_GAP = 32
_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 20


class _Rule:
    """One detector and what the inner loops need of it."""

    __slots__ = ("detector", "index", "entity", "verdict", "vectorised",
                 "words", "re2", "scores", "score_table", "ceiling",
                 "pattern", "match", "least_digits", "family", "everyone",
                 "firsts", "family_at", "family_other", "everyone_at",
                 "everyone_other")

    def __init__(self, detector: Detector, index: int) -> None:
        self.detector = detector
        # Registration order.
        self.index = index
        self.entity = detector.entity
        self.verdict = detector.verdict
        # Whether the detector has a vectorised check.
        self.vectorised = (type(detector).verdict_array
                           is not Detector.verdict_array)
        # The context words as one pattern, or None when there are none.
        self.words = (re.compile("|".join(re.escape(word)
                                          for word in detector.context))
                      if detector.context else None)
        # The same for RE2, when every word is ASCII (and has no "?").
        self.re2 = ("|".join(_re2_literal(word) for word in detector.context)
                    if detector.context and all(
                        word.isascii() and "?" not in word
                        for word in detector.context)
                    else None)
        # Detector.score is a pure function of its arguments, called for
        # every candidate: its answers are kept, by id of the verdict (an
        # enum's hash is a Python call) and whether in context.
        self.scores: dict[tuple[int, bool], float | None] = {}
        # The same for every verdict (by number) and context: NaN when
        # the candidate is dropped.
        self.score_table = np.array([[
            np.nan if (score := detector.score(verdict, in_context)) is None
            else score for in_context in (False, True)]
            for verdict in _VERDICTS])
        self.ceiling = _ceiling(detector)
        self.pattern = re.compile(detector.pattern, re.ASCII)
        self.match = self.pattern.match
        # The fewest digits a match holds.
        self.least_digits = min_digits(detector.pattern)
        # The rivals to try when this detector wins the alternation and
        # accepts the span (its family), and when it rejects it (every
        # shared detector): only those after it in the alternation, since
        # those before it have just failed to match at the same place.
        self.family: tuple[_Rule, ...] = ()
        self.everyone: tuple[_Rule, ...] = ()
        # What a match can start with (None: unsure), and those rivals
        # again by the character at the start, leaving out those that
        # cannot start there; ``*_other``: for any character not listed.
        self.firsts = first_chars(detector.pattern)
        self.family_at: dict[str, tuple[_Rule, ...]] = {}
        self.family_other: tuple[_Rule, ...] = ()
        self.everyone_at: dict[str, tuple[_Rule, ...]] = {}
        self.everyone_other: tuple[_Rule, ...] = ()

    def rivals_by_start(self, listed: frozenset[str]) -> None:
        """Fill the ``*_at`` and ``*_other`` rivals for the characters
        ``listed`` (every character some shared pattern can start with).
        """
        for rivals, at, other in ((self.family, "family_at",
                                   "family_other"),
                                  (self.everyone, "everyone_at",
                                   "everyone_other")):
            setattr(self, at, {char: tuple(
                rule for rule in rivals
                if rule.firsts is None or char in rule.firsts)
                for char in listed})
            setattr(self, other, tuple(rule for rule in rivals
                                       if rule.firsts is None))

    def rivals(self, char: str, accepted: bool) -> tuple[_Rule, ...]:
        """The rivals to try for a candidate starting with ``char`` (""
        at the text's end) that this detector won: its family if it
        ``accepted`` the span, else every shared detector after it."""
        if accepted:
            return self.family_at.get(char, self.family_other)
        return self.everyone_at.get(char, self.everyone_other)


def _re2_literal(word: str) -> str:
    """An ASCII word as an RE2 pattern matching it literally."""
    return "".join(c if c.isalnum() or c == " " else "\\" + c for c in word)


def _ceiling(detector: Detector) -> float:
    """The highest score the detector can give."""
    base = max(detector.score_valid, detector.score_plausible,
               detector.score_weak)
    return min(1.0, base + detector.context_bonus)


class _Alternation:
    """The alternation of the shared-pass patterns a region with given
    numbers of digits and capitals can hold, in registration order
    (leaving out those that cannot match changes no match), and the rule
    of each marking group."""

    __slots__ = ("search", "finditer", "kinds")

    def __init__(self, rules: list[_Rule]) -> None:
        # Each pattern is marked by an empty group after it rather than
        # a group around it: the winner is the same (the last group
        # closed), but Python's engine then tries a pattern's first
        # character before anything else, and does not save group marks
        # for the patterns that fail.
        pattern = re.compile("|".join(
            f"(?:{rule.detector.pattern})(?P<d{index}>)"
            for index, rule in enumerate(rules)), re.ASCII)
        self.search = pattern.search
        self.finditer = pattern.finditer
        # The index of the rule each marking group stands for.
        self.kinds = {pattern.groupindex[f"d{index}"]: rule.index
                      for index, rule in enumerate(rules)}


@dataclass(frozen=True, slots=True)
class _Compiled:
    generation: int
    # By the numbers of digits and capitals in a region (the last for
    # that many or more), the index in ``alternation_list`` of the
    # alternation to search it with; -1: nothing to find. No list: no
    # shared-pass detector.
    choices: np.ndarray
    alternation_list: list[_Alternation]
    # The shortest value of any shared-pass pattern (0: some pattern can
    # match the empty string, and regions are searched with finditer).
    min_width: int
    # Whether every shared-pass value holds an ASCII digit.
    digits_only: bool
    # The detectors that run their own pass.
    own: tuple[_Rule, ...]
    # Every detector's rule, by entity, and by index (``ordered``), and
    # the entity names by index (an object array).
    rules: dict[str, _Rule]
    ordered: tuple[_Rule, ...]
    entities: np.ndarray
    # The shared-pass rules in alternation order, and by the index of a
    # winner's rule, whether it accepted the span, and the code of the
    # first character, whether each rule (by index) is a rival to try.
    shared: tuple[_Rule, ...]
    rival_table: np.ndarray
    # Read off that table, by a winner's index and the code of the first
    # character: the highest score a family rival could give (-inf: none
    # could), and whether no shared detector after it could match at all.
    reach: np.ndarray
    lonely: np.ndarray


_cache: list[_Compiled] = []


def _compiled() -> _Compiled:
    if _cache and _cache[0].generation == generation():
        return _cache[0]
    detectors = registered()
    shared = [d for d in detectors if d.shared_pass]
    families: dict[str, list[Detector]] = {}
    for d in shared:
        families.setdefault(d.family or d.entity, []).append(d)
    rules = {d.entity: _Rule(d, index) for index, d in enumerate(detectors)}
    for index, d in enumerate(shared):
        after = shared[index + 1:]
        rules[d.entity].family = tuple(
            rules[f.entity] for f in families[d.family or d.entity]
            if f in after)
        rules[d.entity].everyone = tuple(rules[f.entity] for f in after)
    listed = frozenset().union(*(rules[d.entity].firsts or ()
                                 for d in shared))
    for d in shared:
        rules[d.entity].rivals_by_start(listed)
    needs = {d.entity: (min_digits(d.pattern), min_capitals(d.pattern))
             for d in shared}
    most = (max((need[0] for need in needs.values()), default=-1),
            max((need[1] for need in needs.values()), default=-1))
    # Each distinct alternation built once, numbered as it comes.
    built: dict[tuple[str, ...], int] = {}
    alternation_list: list[_Alternation] = []
    choices = np.full((most[0] + 1, most[1] + 1), -1, np.int64)
    for digits, capitals in np.ndindex(choices.shape):
        usable = [rules[d.entity] for d in shared
                  if needs[d.entity][0] <= digits
                  and needs[d.entity][1] <= capitals]
        if not usable:
            continue
        key = tuple(rule.entity for rule in usable)
        if key not in built:
            built[key] = len(alternation_list)
            alternation_list.append(_Alternation(usable))
        choices[digits, capitals] = built[key]
    ordered = tuple(rules[d.entity] for d in detectors)
    rival_table = _rival_table(rules, shared)
    ceilings = np.array([rule.ceiling for rule in ordered])
    compiled = _Compiled(
        generation=generation(),
        choices=choices,
        alternation_list=alternation_list,
        min_width=min((min_width(d.pattern) for d in shared), default=0),
        digits_only=all(need[0] for need in needs.values()),
        own=tuple(rules[d.entity] for d in detectors if not d.shared_pass),
        rules=rules,
        ordered=ordered,
        entities=np.array([d.entity for d in detectors] or [""], object),
        shared=tuple(rules[d.entity] for d in shared),
        rival_table=rival_table,
        reach=np.where(rival_table[:, 1], ceilings, -np.inf).max(
            axis=2, initial=-np.inf),
        lonely=np.logical_not(rival_table[:, 0].any(axis=2)),
    )
    _cache[:] = [compiled]
    return compiled


def _rival_table(rules: dict[str, _Rule], shared: list[Detector]
                 ) -> np.ndarray:
    """``_Compiled.rival_table``."""
    table = np.zeros((len(rules), 2, 256, len(rules)), bool)
    for detector in shared:
        rule = rules[detector.entity]
        for accepted in (False, True):
            for code in range(256):
                for rival in rule.rivals(chr(code), accepted):
                    table[rule.index, int(accepted), code, rival.index] = True
    return table


def _region_windows(engine: _Compiled, view: TextView
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """Stretches of the text to look for regions in, as their starts and
    ends: the runs of region characters around each group of digits
    (merged where they meet), when every shared-pass value holds a
    digit; None when the whole text must be looked at."""
    if not engine.digits_only:
        return None
    firsts, lasts = view.digit_clusters(_DIGIT_GAP)
    if not len(firsts):
        return firsts, lasts
    starts, ends = runs_around(view.codes, _REGION_CHARS, firsts, lasts)
    # A run can hold the digits of two groups: merge overlapping windows.
    later = np.flatnonzero(starts[1:] > np.maximum.accumulate(ends)[:-1])
    return (np.concatenate((starts[:1], starts[later + 1])),
            np.concatenate((ends[later], ends[-1:])))


def _regions(engine: _Compiled, view: TextView
             ) -> tuple[np.ndarray, np.ndarray]:
    """The starts and ends of the regions ``_REGION`` finds in the text:
    all of them when a shared-pass value may hold no digit, else those
    in the runs of region characters around digits (the others cannot
    hold a value).

    In the windows around digits, with numpy: a region is a run of region
    characters, from its first character of ``_REGION``'s first class
    that has five more after it to the end of the run. The windows start
    and end where runs do, so their runs are the text's."""
    windows = _region_windows(engine, view)
    if windows is None:
        spans = [found.span() for found in _REGION.finditer(view.text)]
        bounds = np.array(spans, np.int64).reshape(-1, 2)
        return bounds[:, 0], bounds[:, 1]
    lows, highs = windows
    lengths = highs - lows
    if not lengths.sum():
        return lows[:0], lows[:0]
    # Every position of every window, and its character.
    offsets = np.cumsum(lengths) - lengths
    at = np.arange(int(lengths.sum())) + np.repeat(lows - offsets, lengths)
    codes = view.codes[at]
    # Region characters: A-Z, "-./0123456789:", " ", "(", ")", "+" (uint8
    # arithmetic wraps: only the range asked for lands below its size).
    member = (((codes - 65) < 26) | ((codes - 45) < 14) | (codes == 32)
              | ((codes - 40) < 2) | (codes == 43))
    # Runs start at a member after a non-member or at a window's start,
    # and end after a member before a non-member or a window's end.
    edge = np.zeros(len(codes) + 1, bool)
    edge[offsets] = True
    edge[-1] = True
    begins = np.flatnonzero(member & (edge[:-1] | ~np.concatenate(
        ([False], member[:-1]))))
    ends = np.flatnonzero(member & (edge[1:] | ~np.concatenate(
        (member[1:], [False])))) + 1
    # Only runs of six or more can hold a region: from the first of
    # their characters that can start one (A-Z, 0-9, "+", "(") with five
    # more after it.
    long = ends - begins >= _REGION_LEAST
    begins, ends = begins[long], ends[long]
    active = np.arange(len(begins))
    while len(active):
        first = codes[begins[active]]
        opener = ((first - 65) < 26) | ((first - 48) < 10) | (first == 43) | (
            first == 40)
        active = active[~opener]
        begins[active] += 1
        active = active[ends[active] - begins[active] >= _REGION_LEAST]
    kept = ends - begins >= _REGION_LEAST
    return at[begins[kept]], at[ends[kept] - 1] + 1


class _Scan:
    """One text being scanned, and the matches found in it so far.

    Candidates are judged in batches: which of them touch a letter or
    digit is read off the character codes, verdicts are asked of the
    detectors one by one, and context words are looked for in all the
    windows of one detector at once (Arrow's RE2 over windows cut from
    the character codes with numpy). ``shared`` then walks the shared
    pass's candidates in order: the winner of the alternation stands
    when it is checked and in context; otherwise each rival (its family
    when the winner accepted the span, every shared detector when it did
    not) that could score higher is matched at the same start and judged
    too, and the best score (then the longer span) wins."""

    __slots__ = ("text", "size", "batched", "view", "matches")

    def __init__(self, text: str, batched: bool,
                 view: TextView | None = None) -> None:
        self.text = text
        self.size = len(text)
        self.view = view if view is not None else TextView(text)
        # Whether context windows may be cut from the character codes,
        # lowered as ASCII and searched in batches: when the text's
        # characters lower to ASCII only from ASCII (TextView), for a
        # detector with ASCII context words without "?" (Rule.re2; "?"
        # stands in the codes for characters beyond Latin-1).
        self.batched = batched and self.view.ascii_lowering
        self.matches: list[Match] = []

    def shared(self, engine: _Compiled) -> None:
        """The regions of the text, and in each the best match for every
        candidate the alternation finds."""
        view = self.view
        text = self.text
        if not engine.alternation_list:
            return
        firsts, lasts = _regions(engine, view)
        if not len(firsts):
            return
        # The digits and capitals in each region pick the alternation to
        # search it with.
        choices = engine.choices
        digits = view.digits()
        capitals = view.capitals()
        picked = choices[
            np.minimum(np.searchsorted(digits, lasts)
                       - np.searchsorted(digits, firsts),
                       choices.shape[0] - 1),
            np.minimum(np.searchsorted(capitals, lasts)
                       - np.searchsorted(capitals, firsts),
                       choices.shape[1] - 1)]
        some = picked >= 0
        alternations = engine.alternation_list
        starts: list[int] = []
        ends: list[int] = []
        # The winners' rules, by index.
        winners: list[int] = []
        limits: list[int] = []
        add_start, add_end = starts.append, ends.append
        add_winner, add_limit = winners.append, limits.append
        shortest = engine.min_width
        for begin, limit, choice in zip(firsts[some].tolist(),
                                        lasts[some].tolist(),
                                        picked[some].tolist(), strict=True):
            alternation = alternations[choice]
            kinds = alternation.kinds
            if not shortest:
                # Some pattern matches the empty string: finditer knows
                # where to look next after one.
                for each in alternation.finditer(text, begin, limit):
                    add_start(each.start())
                    add_end(each.end())
                    add_winner(kinds[each.lastindex or 0])
                    add_limit(limit)
                continue
            # Search on from the end of each candidate, as finditer
            # would, while a value still fits.
            search = alternation.search
            found = search(text, begin, limit)
            while found is not None:
                end = found.end()
                add_start(found.start())
                add_end(end)
                add_winner(kinds[found.lastindex or 0])
                add_limit(limit)
                if limit - end < shortest:
                    break
                found = search(text, end, limit)
        if starts:
            self.resolve(engine, starts, ends, winners, limits)

    def resolve(self, engine: _Compiled, starts: list[int], ends: list[int],
                winners: list[int], limits: list[int]) -> None:
        """Keep the best match for each candidate of the shared pass not
        inside an earlier one (the matches of a region never overlap);
        ``winners``: the index of the rule that won each.

        A winner checked and in context stands: no rival can do better,
        and it ends where the candidate does, before the next one. The
        others have their rivals tried (``contest``) and are then walked
        in order."""
        at = np.array(starts, np.int64)
        to = np.array(ends, np.int64)
        kinds = np.array(winners, np.int64)
        scores, checked = self.judge_all(engine, kinds, at, to)
        # Every rival starts where the winner does: a letter or digit
        # before the start rules them all out.
        clear = ~self.view.alnum_at(at - 1)
        inside = at < self.size
        first = self.view.codes[np.where(inside, at, 0)]
        reach = engine.reach[kinds, first]
        lonely = engine.lonely[kinds, first]
        # Those an empty match ends the text with, and, beyond Latin-1,
        # those whose "?" may stand for a character a rival starts with,
        # go the long way.
        unsure = ~inside
        if not self.view.latin1:
            unsure |= first == OTHER
        reach[unsure] = np.inf
        lonely[unsure] = False
        # A winner checked and in context stands, and so does one no
        # rival could outscore; a rejected one with no rival leaves
        # nothing.
        stands = (checked & (scores >= 0.9)) | (scores >= reach)
        empty = np.isnan(scores) & lonely
        pending = np.flatnonzero(clear & ~stands & ~empty)
        b_kinds, b_ends, b_scores, b_checked = self.contest(
            engine, at[pending], np.array(limits)[pending], kinds[pending],
            to[pending], scores[pending], checked[pending], first[pending],
            unsure[pending])
        # Walked in order, a candidate inside the best match of an
        # earlier one is dropped.
        have = np.flatnonzero(~np.isnan(b_scores))
        kept: list[int] = []
        taken = -1
        for place, start, end in zip(have.tolist(),
                                     at[pending[have]].tolist(),
                                     b_ends[have].tolist(), strict=True):
            if start >= taken:
                kept.append(place)
                taken = end
        self.matches.extend(_matches(
            engine, b_kinds[kept], at[pending[kept]], b_ends[kept],
            b_scores[kept], b_checked[kept]))
        # A standing winner is dropped only inside a longer match found
        # for an earlier candidate.
        standing = np.flatnonzero(clear & stands)
        if kept:
            reach = np.full(len(starts) + 1, -1)
            reach[pending[kept] + 1] = b_ends[kept]
            reach = np.maximum.accumulate(reach)
            standing = standing[at[standing] >= reach[standing]]
        self.matches.extend(_matches(
            engine, kinds[standing], at[standing], to[standing],
            scores[standing], checked[standing]))

    def contest(self, engine: _Compiled, at: np.ndarray, limits: np.ndarray,
                kinds: np.ndarray, ends: np.ndarray, scores: np.ndarray,
                checked: np.ndarray, first: np.ndarray, unsure: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The best match at each start (up to its region's end,
        ``limits``) of the winner (``kinds``, ``ends``, ``scores`` NaN if
        it rejected the span, ``checked``) and its rivals: each rival, in
        alternation order, that could outscore the best so far is matched
        at the start of every candidate it rivals at once, and judged;
        a higher score, then a longer span, wins. Returns the arrays
        again, of the best; NaN scores where nothing matched.

        ``first``: each start's character code; ``unsure``: where that
        code cannot tell the rivals (see ``resolve``)."""
        kinds, ends = kinds.copy(), ends.copy()
        scores, checked = scores.copy(), checked.copy()
        accepted = ~np.isnan(scores)
        # Whether each rule (by index) is a rival of each candidate.
        table = engine.rival_table[kinds, accepted.astype(np.intp), first]
        text = self.text
        ordered = engine.ordered
        for row in np.flatnonzero(unsure).tolist():
            start = int(at[row])
            table[row] = False
            table[row, [rule.index for rule in ordered[kinds[row]].rivals(
                text[start:start + 1], bool(accepted[row]))]] = True
        # The digits from each start to its region's end: a rival needing
        # more cannot match there.
        digits = self.view.digits()
        room = (np.searchsorted(digits, limits)
                - np.searchsorted(digits, at))
        wanted = table.any(axis=0)
        for rule in engine.shared:
            if not wanted[rule.index]:
                continue
            tried = np.flatnonzero(
                table[:, rule.index] & (room >= rule.least_digits)
                & ~(rule.ceiling <= scores))
            if not len(tried):
                continue
            found = list(map(rule.match, repeat(text), at[tried].tolist(),
                             limits[tried].tolist()))
            hits = [(place, match.end()) for place, match in enumerate(found)
                    if match is not None]
            if not hits:
                continue
            places, stops = zip(*hits, strict=True)
            tried = tried[list(places)]
            to = np.array(stops, np.int64)
            rival, valid = self.judge_all(
                engine, np.full(len(tried), rule.index), at[tried], to)
            held = scores[tried]
            better = ~np.isnan(rival) & (
                np.isnan(held) | (rival > held)
                | ((rival == held) & (to > ends[tried])))
            won = tried[better]
            kinds[won] = rule.index
            ends[won] = to[better]
            scores[won] = rival[better]
            checked[won] = valid[better]
        return kinds, ends, scores, checked

    def own(self, engine: _Compiled, rule: _Rule) -> None:
        """The matches of a detector that finds its own candidates."""
        spans = rule.detector.candidates_in(self.view)
        if spans is None:
            spans = (found.span() for found in rule.pattern.finditer(
                self.text))
        bounds = np.array(list(spans), np.int64).reshape(-1, 2)
        if not len(bounds):
            return
        at = bounds[:, 0].copy()
        to = bounds[:, 1].copy()
        kinds = np.full(len(at), rule.index)
        scores, checked = self.judge_all(engine, kinds, at, to)
        kept = np.flatnonzero(~self.view.alnum_at(at - 1)
                              & ~np.isnan(scores))
        self.matches.extend(_matches(engine, kinds[kept], at[kept],
                                     to[kept], scores[kept], checked[kept]))

    def judge_all(self, engine: _Compiled, kinds: np.ndarray,
                  at: np.ndarray, to: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
        """``judged`` for every span (from ``at`` to ``to``, of the rule
        whose index is in ``kinds``), whose starts have not been checked:
        each match's score (NaN: no match) and whether it is validated.
        Matches are made (``_matches``) only for those kept."""
        text = self.text
        count = len(at)
        ordered = engine.ordered
        all_scores = np.full(count, np.nan)
        validated = np.zeros(count, bool)
        if count < _FEW:
            # numpy and Arrow cost more than they save on a few.
            for index, (kind, start, end) in enumerate(zip(
                    kinds.tolist(), at.tolist(), to.tolist(), strict=True)):
                match = self.judged(ordered[kind], start, end)
                if match is not None:
                    all_scores[index] = match[3]
                    validated[index] = match[4]
            return all_scores, validated
        # By rule, the spans clear of letters and digits after them.
        free = np.flatnonzero(~self.view.alnum_at(to))
        free = free[np.argsort(kinds[free], kind="stable")]
        groups = _runs(kinds[free])
        present: dict[int, _Rule] = {}
        codes = np.full(len(free), _INVALID_CODE)
        for first, last in groups:
            kind = int(kinds[free[first]])
            rule = present[kind] = ordered[kind]
            places = free[first:last]
            found = self.verdicts(rule, at[places], to[places])
            if found is not None:
                codes[first:last] = found
                continue
            # Not all Verdicts: the slow way, as judged does it.
            for index in places.tolist():
                start, end = int(at[index]), int(to[index])
                match = self.scored(rule, start, end,
                                    rule.verdict(text[start:end]))
                if match is not None:
                    all_scores[index] = match[3]
                    validated[index] = match[4]
        kept = codes != _INVALID_CODE
        free, codes = free[kept], codes[kept]
        in_context = self.contexts(present, kinds[free], at[free], to[free])
        scores = _scores(present, kinds[free], codes, in_context)
        kept = ~np.isnan(scores)
        free, codes, scores = free[kept], codes[kept], scores[kept]
        all_scores[free] = scores
        validated[free] = codes <= _CHECKED_CODE
        return all_scores, validated

    def verdicts(self, rule: _Rule, starts: np.ndarray,
                 ends: np.ndarray) -> np.ndarray | None:
        """The numbers of the rule's verdicts on the spans; None when the
        detector answers with something other than a Verdict.

        Many spans of a detector with a vectorised check (``verdict_array``,
        which answers as ``verdict`` does) are checked with it, straight
        from the character codes when they are all ASCII."""
        if rule.vectorised and len(starts) >= _ARRAYS:
            values = _values(self.view.codes, starts, ends,
                             self.view.latin1)
            if values is not None:
                answers = rule.detector.verdict_array(values)
                if answers is not None:
                    found = pc.index_in(answers, value_set=_VERDICT_VALUES)
                    if not found.null_count:
                        numbers: np.ndarray = found.to_numpy(
                            zero_copy_only=False)
                        return numbers
        text = self.text
        return _verdict_codes(list(map(rule.verdict, [
            text[start:end] for start, end in zip(
                starts.tolist(), ends.tolist(), strict=True)])))

    def contexts(self, by_index: dict[int, _Rule], kinds: np.ndarray,
                 starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Whether each span has one of its rule's context words near it
        (``kinds``: the rules' indices, grouped; ``by_index``: those
        rules): in the 40 characters before it or the 20 after, lowered,
        a space between."""
        found = np.zeros(len(starts), bool)
        rows = None
        for first, last in _runs(kinds):
            rule = by_index[int(kinds[first])]
            if rule.words is None:
                continue
            if not self.batched or last - first < _BATCH or rule.re2 is None:
                for row, start, end in zip(
                        range(first, last), starts[first:last].tolist(),
                        ends[first:last].tolist(), strict=True):
                    found[row] = self.in_context(rule, start, end)
                continue
            if rows is None:
                rows = _windows(self.view.codes, starts, ends)
            found[first:last] = pc.match_substring_regex(
                rows.slice(first, last - first), rule.re2).to_numpy(
                    zero_copy_only=False)
        return found

    def in_context(self, rule: _Rule, start: int, end: int) -> bool:
        """``contexts`` for one span."""
        words = rule.words
        if words is None:
            return False
        text = self.text
        before = start - _CONTEXT_BEFORE
        if before < 0:
            before = 0
        return words.search((
            text[before:start] + " " + text[end:end + _CONTEXT_AFTER]
        ).lower()) is not None

    def judged(self, rule: _Rule, start: int, end: int) -> Match | None:
        """A match for a span whose start is known to be clear of letters
        and digits, or None when the detector rejects it."""
        text = self.text
        if end < self.size and text[end].isalnum():
            return None
        return self.scored(rule, start, end, rule.verdict(text[start:end]))

    def scored(self, rule: _Rule, start: int, end: int,
               verdict: Verdict) -> Match | None:
        """``judged`` once the verdict is known."""
        if verdict is _INVALID:
            return None
        in_context = self.in_context(rule, start, end)
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


# Fewer candidates than _FEW are judged one by one; fewer than _BATCH
# have their context looked for one by one, fewer than _ARRAYS are not
# checked with Arrow.
_FEW = 200
_BATCH = 32
_ARRAYS = 256
_WINDOW = _CONTEXT_BEFORE + 1 + _CONTEXT_AFTER


def _values(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray,
            latin1: bool) -> pa.Array | None:
    """The spans' characters as a string array, or None when one of them
    is not ASCII (or, beyond Latin-1, is a "?" that may stand for
    another character)."""
    lengths = ends - starts
    offsets = np.zeros(len(starts) + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    data = codes[np.repeat(starts - offsets[:-1], lengths)
                 + np.arange(int(offsets[-1]))]
    if len(data) and (data.max() >= 0x80
                      or (not latin1 and (data == OTHER).any())):
        return None
    return pa.StringArray.from_buffers(len(starts), pa.py_buffer(offsets),
                                       pa.py_buffer(data))


def _windows(codes: np.ndarray, starts: np.ndarray,
             ends: np.ndarray) -> pa.Array:
    """The context windows of spans, one binary value each: the 40
    characters before, a space and the 20 after, ASCII capitals lowered,
    with NULs standing for places outside the text (no context word holds
    one)."""
    size = len(codes)
    rows = np.zeros((len(starts), _WINDOW), np.uint8)
    rows[:, _CONTEXT_BEFORE] = ord(" ")
    # Whole windows are copied row by row from views of the text;
    # the few that run past either end of it, character by character.
    inside = starts >= _CONTEXT_BEFORE
    if size >= _CONTEXT_BEFORE:
        before = sliding_window_view(codes, _CONTEXT_BEFORE)
        rows[inside, :_CONTEXT_BEFORE] = before[
            starts[inside] - _CONTEXT_BEFORE]
    for row in np.flatnonzero(~inside).tolist():
        start = int(starts[row])
        rows[row, _CONTEXT_BEFORE - start:_CONTEXT_BEFORE] = codes[:start]
    inside = ends + _CONTEXT_AFTER <= size
    if size >= _CONTEXT_AFTER:
        after = sliding_window_view(codes, _CONTEXT_AFTER)
        rows[inside, _CONTEXT_BEFORE + 1:] = after[ends[inside]]
    for row in np.flatnonzero(~inside).tolist():
        end = int(ends[row])
        rows[row, _CONTEXT_BEFORE + 1:
             _CONTEXT_BEFORE + 1 + size - end] = codes[end:]
    rows += ((rows - 65) < 26) * np.uint8(32)
    offsets = np.arange(0, (len(starts) + 1) * _WINDOW, _WINDOW,
                        dtype=np.int32)
    return pa.Array.from_buffers(pa.binary(), len(starts), [
        None, pa.py_buffer(offsets), pa.py_buffer(rows)])


_new = tuple.__new__
_INVALID, _VALID, _CHECKED_WEAK = (
    Verdict.INVALID, Verdict.VALID, Verdict.CHECKED_WEAK)


def _matches(engine: _Compiled, kinds: np.ndarray, starts: np.ndarray,
             ends: np.ndarray, scores: np.ndarray,
             validated: np.ndarray) -> list[Match]:
    """The matches for spans that scored (of the rules whose indices are
    in ``kinds``)."""
    # tuple.__new__ straight from map: no Python call per match.
    return list(map(_new, repeat(Match), zip(
        starts.tolist(), ends.tolist(), engine.entities[kinds].tolist(),
        scores.tolist(), validated.tolist(), strict=True)))


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """Where each run of equal values starts and ends."""
    if not len(values):
        return []
    cuts = [0, *(np.flatnonzero(np.diff(values)) + 1).tolist(), len(values)]
    return list(zip(cuts[:-1], cuts[1:], strict=True))


# Verdicts as numbers: checked ones first, then the others.
_VERDICTS = (Verdict.VALID, Verdict.CHECKED_WEAK, Verdict.PLAUSIBLE,
             Verdict.WEAK, Verdict.INVALID)
_CHECKED_CODE = 1
_INVALID_CODE = 4
_VERDICT_VALUES = pa.array([verdict.value for verdict in _VERDICTS],
                           pa.string())
_VERDICT_IDS = np.array([id(verdict) for verdict in _VERDICTS],
                        np.uint64)
_BY_ID = np.argsort(_VERDICT_IDS)


def _verdict_codes(verdicts: list[Verdict]) -> np.ndarray | None:
    """The number of each verdict, or None when one is not a Verdict."""
    ids = np.array(list(map(id, verdicts)), np.uint64)
    at = np.searchsorted(_VERDICT_IDS[_BY_ID], ids).clip(0, len(_VERDICTS) - 1)
    codes: np.ndarray = _BY_ID[at]
    if not (_VERDICT_IDS[codes] == ids).all():
        return None
    return codes


def _scores(by_index: dict[int, _Rule], kinds: np.ndarray,
            codes: np.ndarray, in_context: np.ndarray) -> np.ndarray:
    """Each span's score (NaN: dropped) by its rule's index (``by_index``
    the rules), verdict number and context."""
    # Indices from -1 (a rule made for a detector not registered).
    table = np.full((max(by_index, default=0) + 2, len(_VERDICTS), 2),
                    np.nan)
    for index, rule in by_index.items():
        table[index + 1] = rule.score_table
    kinds = kinds + 1
    scores: np.ndarray = table[kinds, codes, in_context.astype(np.intp)]
    return scores


def _rule(detector: Detector) -> _Rule:
    engine = _compiled()
    rule = engine.rules.get(detector.entity)
    return (rule if rule is not None and rule.detector is detector
            else _Rule(detector, -1))


def judge(
    detector: Detector, text: str, start: int, end: int
) -> Match | None:
    """A match for the span, or ``None`` when the detector rejects it."""
    if start > 0 and text[start - 1].isalnum():
        return None
    return _Scan(text, False).judged(_rule(detector), start, end)


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
    # A scan makes tens of thousands of objects (matches are tuples, which
    # the cyclic collector tracks) and no reference cycle: collections
    # during it would only walk the whole heap, again and again, for
    # nothing. They resume after it (if they were on).
    collecting = gc.isenabled()
    gc.disable()
    try:
        engine = _compiled()
        view = TextView(text)
        scan = _Scan(text, True, view)
        scan.shared(engine)
        for rule in engine.own:
            scan.own(engine, rule)
        return _without_overlaps(scan.matches)
    finally:
        if collecting:
            gc.enable()
