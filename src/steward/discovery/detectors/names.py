"""People's names.

In free text a light heuristic, no model: a run of capitalised words is a
name when it starts with a title (Mr, Dr, ...) or with a common given name
from the ONS baby-names lists. In tables a column is a name column when its
header says so or when most values start with a common given name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from typing import ClassVar

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from numpy.lib.stride_tricks import sliding_window_view

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors._base import Detector, Verdict, register
from steward.discovery.detectors._view import TextView, _edges, spans_at

_TITLES = frozenset(
    "Mr Mrs Ms Miss Mx Dr Prof Sir Dame Lady Lord Rev Revd".split()
)
# Words that follow a given name in place names and organisations rather
# than in people's names ("Grace Street", "Victoria Station").
_NOT_SURNAMES = frozenset(
    """Street Road Lane Avenue Close Court Drive Way Place Square Gardens
    Park Hill Hospital School College University Station House Hall Centre
    Center Church Bridge Terrace Crescent Row Walk Grove Mews Ltd
    Limited Plc Group Trust Council Day Line Cross Island River Bay
    Overpass Expressway Orchard Fields Meadows Lodge Manor Vale View Rise
    Parade Circle Heights Wharf Mill Passage Ridge Point Junction Port Dale
    Valley Estate Causeway Ways Rest Summit Plaza Spur Springs Pines Hollow
    Via Loop Trail Ramp Mount Bypass Neck Track Throughway Underpass Brook
    """.split()
)


def _given_names() -> frozenset[str]:
    text = (
        resources.files("steward.discovery.detectors")
        .joinpath("first_names.txt")
        .read_text(encoding="utf-8")
    )
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


class PersonDetector(Detector):
    """A person's name: title or common given name, then a surname."""

    entity = "PERSON"
    pattern = r"[A-Z][a-z]+(?:[ \-'][A-Z][a-z'\-]+)*"
    shared_pass = False
    # In running text a name is two capitalised words at least; one alone
    # (every sentence's first word) is not worth a text scan.
    cell_hint = r"[A-Z][a-z]+\.? [A-Z][a-z]"
    context = ("name", "patient", "applicant", "customer", "dear")
    header = (
        r"(?i)(first|last|given|family|full|sur|fore|middle|maiden)"
        r".?name|^name$|^(customer|patient|employee|contact|staff)$"
    )
    score_plausible = 0.7
    score_weak = 0.6
    mask_keep = (1, 0)
    given_names: ClassVar[frozenset[str]] = _given_names()
    # Possessive repeats: a word once read is never given back, which
    # finds the same runs without retrying each capitalised word.
    _run: ClassVar[re.Pattern[str]] = re.compile(
        r"[A-Z][a-z]++\.?+(?: [A-Z][a-z'\-]++)+"
    )

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        for run in self._run.finditer(text):
            yield from self._named(run)

    def candidates_in(self, view: TextView) -> Iterator[tuple[int, int]]:
        # A run starts at a capital followed by lower-case letters (then
        # perhaps a dot), a space, a capital and a letter, an apostrophe
        # or a hyphen. numpy finds the second capital of every such pair;
        # the first is found by walking back over the lower-case letters.
        # The runs are then matched in order, those starting inside the
        # last skipped, as a pass over the whole text would.
        codes = view.codes
        size = len(codes)
        capitals = view.capitals()
        second = capitals[(capitals >= 3) & (capitals + 1 < size)]
        tail = codes[second + 1]
        second = second[(codes[second - 1] == _SPACE) & (
            ((tail - 97) < 26) | (tail == _APOSTROPHE) | (tail == _HYPHEN))]
        # The first word's last letter, before any dot.
        last = second - 2
        last[codes[last] == _DOT] -= 1
        last = last[(codes[last] - 97) < 26]
        # Where the lower-case letters up to it start: read off the 16
        # characters up to it (as bits, whose trailing ones a table
        # counts), walked for longer runs.
        first = np.empty_like(last)
        near = np.flatnonzero(last >= _LOOK) if size >= _LOOK else (
            np.zeros(0, np.intp))
        rows = sliding_window_view(codes, _LOOK)[last[near] - _LOOK + 1] if (
            len(near)) else np.zeros((0, _LOOK), np.uint8)
        # Two bytes of bits a row, read as one big-endian number.
        bits = np.packbits(((rows - 97) < 26).ravel()).view(">u2")
        run = _TRAILING[bits]
        short = run < _LOOK
        first[near[short]] = last[near[short]] - run[short]
        far = np.ones(len(last), bool)
        far[near[short]] = False
        far = np.flatnonzero(far)
        first[far] = _edges(codes, _LOWER, last[far], -1) - 1
        starts = first[first >= 0]
        starts = starts[(codes[starts] - 65) < 26]
        return self._runs_from(view.text, starts.tolist())

    def _runs_from(self, text: str, starts: list[int]
                   ) -> Iterator[tuple[int, int]]:
        """The runs at ``starts`` (skipping those inside the last), and
        for each named one its span from the name (``_named``)."""
        names = self.given_names
        found = []
        for at, taken in spans_at(self._run, text, starts):
            offset = at
            for word in text[at:taken].split(" ")[:-1]:
                if word in names or word.rstrip(".") in _TITLES:
                    found.append((offset, taken))
                    break
                offset += len(word) + 1
        return iter(found)

    def _named(self, run: re.Match[str]) -> Iterator[tuple[int, int]]:
        words = run.group().split(" ")
        offset = run.start()
        for word in words[:-1]:
            if word.rstrip(".") in _TITLES or word in self.given_names:
                yield offset, run.end()
                break
            offset += len(word) + 1

    def verdict(self, value: str) -> Verdict:
        words = value.split()
        if words and words[0].rstrip(".") in _TITLES:
            words = words[1:]
        if not words or words[-1] in _NOT_SURNAMES:
            return Verdict.INVALID
        if len(words) == 1:
            # "Mr Smith" has a title; in a column of single words, a common
            # given name counts and a surname needs the header.
            titled = value != words[0]
            if titled or words[0] in self.given_names:
                return Verdict.PLAUSIBLE
            return Verdict.WEAK
        if words[0] in self.given_names or value.split()[0] != words[0]:
            return Verdict.PLAUSIBLE
        return Verdict.WEAK

    def normalise(self, value: str) -> str:
        return " ".join(value.lower().split())

    def normalise_array(self, values: pa.Array) -> pa.Array:
        offsets, data = arrays.utf8_buffers(values)
        if _single_spaced_ascii(offsets, data):
            return pc.ascii_lower(values)
        return pc.utf8_lower(pc.replace_substring_regex(
            pc.utf8_trim_whitespace(values), r"\s+", " "))


def _single_spaced_ascii(offsets: np.ndarray, data: np.ndarray) -> bool:
    """Whether the values are ASCII, with no white space but single
    spaces between words: then lowering them is all ``normalise`` does."""
    if not len(data):
        return True
    if data.max() >= 0x80 or _OTHER_SPACE[data].any():
        return False
    space = data == 32
    if (space[1:] & space[:-1]).any():
        return False
    nonempty = offsets[1:] > offsets[:-1]
    return not (space[offsets[:-1][nonempty]].any()
                or space[offsets[1:][nonempty] - 1].any())


_UPPER = np.zeros(256, bool)
_UPPER[65:91] = True
_LOWER = np.zeros(256, bool)
_LOWER[97:123] = True
# What may follow the capital of a second word: [a-z'\-].
_WORD_TAIL = _LOWER.copy()
_WORD_TAIL[[ord("'"), ord("-")]] = True
_SPACE, _DOT, _APOSTROPHE, _HYPHEN = (ord(c) for c in " .'-")
# Characters read at once before a word's last letter, and for every
# 16 bits how many of its last ones are set.
_LOOK = 16
_BITS = np.arange(1 << _LOOK, dtype=np.int64)
# The lowest bit not set, and where it is.
_TRAILING = np.log2(~_BITS & (_BITS + 1)).astype(np.int64)

_OTHER_SPACE = np.zeros(256, bool)
_OTHER_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31]] = True

PERSON = register(PersonDetector())
