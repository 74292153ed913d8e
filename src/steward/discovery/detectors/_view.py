"""What a scan learns about a text once, for every detector to use.

Finding identifiers with regular expressions over the whole text costs a
pass of Python's engine per expression. Most of the text is prose that
can hold none of them: every value the shared pass, the bank account and
the date-of-birth detectors look for holds an ASCII digit, and a name
needs two capitalised words in a row. ``TextView`` reads the text once as
an array of character codes (numpy), so that those places are found with
a few vectorised operations and only small windows around them are given
to the regular expressions.

Offsets are always indices into the ``str``: the array has one element
per character, the character's Latin-1 code, or ``?`` for a character
beyond Latin-1 (which no ASCII character class matches either).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import numpy as np

# The character code standing for every character beyond Latin-1.
OTHER = ord("?")
# Whether each Latin-1 character is a letter or digit.
_ALNUM = np.array([chr(code).isalnum() for code in range(256)])


class TextView:
    """A text, its character codes and, computed when first asked for,
    where its digits are."""

    __slots__ = ("text", "codes", "latin1", "ascii_lowering", "_digits",
                 "_capitals", "_clusters")

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            data = text.encode("latin-1")
            self.latin1 = True
        except UnicodeEncodeError:
            # One "?" per character that is not Latin-1: offsets hold.
            data = text.encode("latin-1", "replace")
            self.latin1 = False
        self.codes: np.ndarray = np.frombuffer(data, np.uint8)
        # Whether lowering the text makes no ASCII letter but from an
        # ASCII letter (so that ASCII words can be looked for in windows
        # cut from the codes and lowered as ASCII): only "\u0130" and
        # "\u212a" lower to ASCII from beyond it.
        self.ascii_lowering = self.latin1 or not (
            "\u0130" in text or "\u212a" in text)
        self._digits: np.ndarray | None = None
        self._capitals: np.ndarray | None = None
        self._clusters: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def digits(self) -> np.ndarray:
        """Positions of the ASCII digits, in order."""
        if self._digits is None:
            self._digits, self._capitals = self._positions()
        return self._digits

    def capitals(self) -> np.ndarray:
        """Positions of the ASCII capitals, in order."""
        if self._capitals is None:
            self._digits, self._capitals = self._positions()
        return self._capitals

    def _positions(self) -> tuple[np.ndarray, np.ndarray]:
        """The digits' and the capitals' positions, computed in one
        scratch array (each large temporary array costs page faults)."""
        scratch = np.empty(len(self.codes), np.uint8)
        mask = scratch.view(np.bool_)
        found = []
        # uint8 arithmetic wraps: only 0-9 land below 10, A-Z below 26.
        for first, count in ((48, 10), (65, 26)):
            np.subtract(self.codes, first, out=scratch)
            np.less(scratch, count, out=mask)
            found.append(np.flatnonzero(mask))
        return found[0], found[1]

    def alnum_at(self, at: np.ndarray) -> np.ndarray:
        """Whether the character at each position is a letter or digit
        (``str.isalnum``); not outside the text."""
        inside = (at >= 0) & (at < len(self.codes))
        found = np.zeros(len(at), bool)
        places = at[inside]
        codes = self.codes[places]
        letters = _ALNUM[codes]
        if not self.latin1:
            # "?" stands for every character beyond Latin-1: ask the text.
            other = np.flatnonzero(codes == OTHER)
            text = self.text
            letters[other] = [text[place].isalnum()
                              for place in places[other].tolist()]
        found[inside] = letters
        return found

    def digit_clusters(self, gap: int) -> tuple[np.ndarray, np.ndarray]:
        """Groups of digits no more than ``gap`` characters apart: the
        position of each group's first digit, and one past its last."""
        found = self._clusters.get(gap)
        if found is None:
            digits = self.digits()
            if not len(digits):
                found = (digits, digits)
            else:
                breaks = np.flatnonzero(np.diff(digits) > gap)
                firsts = np.concatenate((digits[:1], digits[breaks + 1]))
                lasts = np.concatenate((digits[breaks], digits[-1:]))
                found = (firsts, lasts + 1)
            self._clusters[gap] = found
        return found


def runs_around(codes: np.ndarray, member: np.ndarray, firsts: np.ndarray,
                lasts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each ``i``, where the run of ``member`` characters holding
    ``firsts[i]`` starts and where the one holding ``lasts[i] - 1`` ends
    (``member``: a boolean table by character code). A run stops at a
    character that is not a member, or at either end of the text."""
    return (_edges(codes, member, firsts, -1), _edges(codes, member, lasts, 0))


# Steps taken one character at a time for all runs at once before the
# few runs still going are finished from the positions of non-members.
_STEPS = 32


def _edges(codes: np.ndarray, member: np.ndarray, at: np.ndarray,
           look: int) -> np.ndarray:
    """Walk each position of ``at`` back (``look`` -1: while the character
    before it is a member) or forward (``look`` 0: while the character at
    it is one)."""
    size = len(codes)
    step = 1 if look == 0 else -1
    edges = at.copy()
    active = np.flatnonzero(edges < size if look == 0 else edges > 0)
    for _ in range(_STEPS):
        if not len(active):
            return edges
        active = active[member[codes[edges[active] + look]]]
        edges[active] += step
        active = active[(edges[active] < size) if look == 0
                        else (edges[active] > 0)]
    if len(active):
        outside = np.flatnonzero(~member[codes])
        if look == 0:
            found = np.searchsorted(outside, edges[active])
            edges[active] = np.append(outside, size)[found]
        else:
            # How many non-members lie before each edge: the last of them
            # (or -1, before the text) ends the walk.
            found = np.searchsorted(outside, edges[active])
            edges[active] = np.concatenate(([-1], outside))[found] + 1
    return edges


def spans_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]
             ) -> Iterator[tuple[int, int]]:
    """The spans of ``pattern`` matched at each of ``starts`` (in order),
    skipping the starts inside the previous match."""
    match = pattern.match
    taken = 0
    for at in starts:
        if at < taken:
            continue
        found = match(text, at)
        if found is None:
            continue
        taken = found.end()
        yield at, taken
