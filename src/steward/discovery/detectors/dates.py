"""Dates of birth: a date is personal data when context says whose birth it
marks."""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors._base import Detector, Verdict, register
from steward.discovery.detectors._view import TextView

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"),
            ("apr", "april"), ("may",), ("jun", "june"), ("jul", "july"),
            ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


class DateOfBirthDetector(Detector):
    """A calendar date written beside "born", "DOB" or "date of birth".

    ICO guidance on what is personal data: a date alone is not, a date of
    birth is. Dates are read day first (the UK convention), numeric
    (``12/03/1980``, ``12.03.1980``), ISO 8601 (``1980-03-12``) or with a
    month name (``12 March 1980``), and must lie between 1900 and today.
    """

    entity = "DATE_OF_BIRTH"
    pattern = (
        r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}"
        r"|(?:19|20)\d{2}-\d{2}-\d{2}"
        r"|\d{1,2}(?:st|nd|rd|th)? (?i:jan|feb|mar|apr|may|jun|jul|aug|sep"
        r"|oct|nov|dec)[a-z]*\.? (?:19|20)\d{2}"
    )
    shared_pass = False
    context = ("born", "dob", "d.o.b", "date of birth", "birth date",
               "birthday")
    header = r"(?i)\bdob\b|birth"
    score_weak = 0.85
    mask_keep = (0, 0)
    # One leading character class lets Python's engine skip to "b" or "d"
    # quickly; a case-insensitive alternation would try every position.
    _trigger: ClassVar[re.Pattern[str]] = re.compile(
        r"[BbDd](?:orn|ORN|irth ?date|IRTH ?DATE|irthday|\.?[Oo]\.?[Bb]"
        r"|ate of birth|ATE OF BIRTH)(?![A-Za-z])"
    )
    _date: ClassVar[re.Pattern[str]] = re.compile(pattern, re.ASCII)

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        # Find the context first: it is rarer than dates.
        for trigger in self._trigger.finditer(text):
            start = trigger.start()
            if start and text[start - 1].isalpha():
                continue
            found = self._date.search(text, trigger.end(), trigger.end() + 40)
            if found:
                yield found.span()

    def candidates_in(self, view: TextView) -> Iterator[tuple[int, int]]:
        # Every date holds a year, four digits starting 19 or 20, and a
        # date is only looked for in the 40 characters after a trigger,
        # itself at most 13 long: triggers further than 49 characters
        # before every year can find none. Only the stretches just before
        # years are searched for triggers, each from a place no trigger
        # can straddle, so that the search meets the triggers a search
        # from the start of the text meets.
        digits = view.digits()
        codes = view.codes
        four = digits[:-3][digits[3:] - digits[:-3] == 3]
        years = four[((codes[four] == _ONE) & (codes[four + 1] == _NINE))
                     | ((codes[four] == _TWO) & (codes[four + 1] == _ZERO))]
        # A date's year follows a separator ("12/03/1980", "3 May 1980")
        # or comes first, before a hyphen ("1980-03-12").
        before = codes[np.maximum(years - 1, 0)]
        after = codes[np.minimum(years + 4, len(codes) - 1)]
        years = years[((years > 0) & (((before - 45) < 3) | (before == 32)))
                      | ((years + 4 < len(codes)) & (after == 45))]
        if not len(years):
            return
        # Overlapping stretches merge.
        starts = np.maximum(years - _REACH, 0)
        later = np.flatnonzero(starts[1:] > years[:-1])
        firsts = np.concatenate((starts[:1], starts[later + 1]))
        lasts = np.concatenate((years[later], years[-1:]))
        # Each stretch is searched from a place no trigger straddles, to
        # where the triggers starting in it end: all the stretches at once,
        # joined by line breaks (which no trigger holds or straddles). A
        # stretch with no such place near it is searched as part of the
        # one before it (or from the start of the text).
        text = view.text
        safe = _unstraddled_all(codes, firsts).tolist()
        ends = np.minimum(lasts + _LONGEST + 1, len(codes)).tolist()
        # Each piece: where it starts and ends, and its first stretch.
        pieces: list[list[int]] = []
        for stretch, (begin, end) in enumerate(zip(safe, ends, strict=True)):
            if begin >= 0:
                pieces.append([begin, end, stretch])
            elif pieces:
                pieces[-1][1] = end
            else:
                pieces.append([0, end, stretch])
        joined = "\n".join([text[begin:end] for begin, end, _ in pieces])
        offsets = np.cumsum([0] + [end - begin + 1
                                   for begin, end, _ in pieces]).tolist()
        firsts_, lasts_ = firsts.tolist(), lasts.tolist()
        search = self._date.search
        piece = 0
        for trigger in self._trigger.finditer(joined):
            place = trigger.start()
            while offsets[piece + 1] <= place:
                piece += 1
            begin, _, stretch = pieces[piece]
            start = begin + place - offsets[piece]
            # The stretch it starts in, if any, among those of the piece.
            following = (pieces[piece + 1][2] if piece + 1 < len(pieces)
                         else len(firsts_))
            stretch = bisect.bisect_right(firsts_, start, stretch,
                                          following) - 1
            if stretch < pieces[piece][2] or start > lasts_[stretch] or (
                    start and text[start - 1].isalpha()):
                continue
            end = start + trigger.end() - place
            found = search(text, end, end + 40)
            if found:
                yield found.span()

    def verdict(self, value: str) -> Verdict:
        day = _parse(value)
        if day is None or day < _EARLIEST:
            return Verdict.INVALID
        # Asking for today's date costs more than the rest: a year before
        # the one the module was loaded in is past anyway.
        if day.year >= _LOADED_IN and day > datetime.date.today():
            return Verdict.INVALID
        return Verdict.CHECKED_WEAK


    def verdict_array(self, values: pa.Array) -> pa.Array:
        # ISO dates (the usual form in exports) are parsed by Arrow; the
        # rest, one Python call per distinct value.
        iso = pc.match_substring_regex(values, r"^\d{4}-\d{2}-\d{2}$")
        parsed = pc.strptime(pc.if_else(iso, values, arrays.text("x")),
                             format="%Y-%m-%d", unit="s", error_is_null=True)
        today = datetime.datetime.now().replace(hour=23, minute=59)
        in_range = pc.and_(
            pc.greater_equal(parsed, pa.scalar(
                datetime.datetime(1900, 1, 1), pa.timestamp("s"))),
            pc.less_equal(parsed, pa.scalar(today, pa.timestamp("s"))))
        # Arrow's strptime rolls a day past the month's end ("1981-02-29")
        # over into the next month (another day of it); Python, like the
        # calendar, refuses it.
        written = pc.cast(pc.utf8_slice_codeunits(
            pc.if_else(iso, values, arrays.text("0000-00-00")), 8, 10),
            pa.int64())
        in_range = pc.and_(in_range, pc.equal(pc.day(parsed), written))
        iso_verdicts = arrays.verdicts(
            in_range, Verdict.CHECKED_WEAK.value, Verdict.INVALID.value)
        others = pc.unique(pc.filter(values, pc.invert(iso)))
        judged = pa.array([self.verdict(v).value for v in others.to_pylist()],
                          pa.string())
        by_python = pc.take(judged, pc.index_in(values, value_set=others))
        return pc.if_else(iso, iso_verdicts, by_python)


_EARLIEST = datetime.date(1900, 1, 1)
_LOADED_IN = datetime.date.today().year
# The longest trigger ("date of birth"), and how far before a year a
# trigger can start and still find a date holding that year.
_LONGEST = 13
_REACH = 40 - 4 + _LONGEST
_ONE, _NINE, _TWO, _ZERO = (ord(c) for c in "1920")
# Characters a trigger is made of, and, of those, the ones that follow a
# space inside a trigger and the ones that precede one.
_TRIGGER_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ. ")
_AFTER_SPACE = frozenset("bBdDoO")
_BEFORE_SPACE = frozenset("eEfFhH")


def _unstraddled(text: str, at: int) -> int:
    """The nearest place at or before ``at`` that no trigger can straddle
    (start before it and end after it): a trigger holds only letters,
    dots and spaces, and a space inside one follows "e", "f" or "h" and
    precedes "b", "d" or "o" (either case)."""
    end = len(text)
    while 0 < at < end:
        before, after = text[at - 1], text[at]
        if (before not in _TRIGGER_CHARS or after not in _TRIGGER_CHARS
                or (before == " " and after not in _AFTER_SPACE)
                or (after == " " and before not in _BEFORE_SPACE)):
            break
        at -= 1
    return at


# The same, by character code.
_TRIGGER = np.zeros(256, bool)
_TRIGGER[[ord(c) for c in _TRIGGER_CHARS]] = True
_NOT_AFTER_SPACE = ~np.isin(np.arange(256), [ord(c) for c in _AFTER_SPACE])
_NOT_BEFORE_SPACE = ~np.isin(np.arange(256),
                             [ord(c) for c in _BEFORE_SPACE])


def _unstraddled_all(codes: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``_unstraddled`` for many places at once, from character codes
    (a character beyond Latin-1, "?" there, is no trigger's either);
    -1 where there is no such place within ``_WALK`` characters."""
    places = at.copy()
    size = len(codes)
    active = np.flatnonzero((places > 0) & (places < size))
    for _ in range(_WALK):
        if not len(active):
            return places
        here = places[active]
        before, after = codes[here - 1], codes[here]
        safe = (~_TRIGGER[before] | ~_TRIGGER[after]
                | ((before == _BLANK) & _NOT_AFTER_SPACE[after])
                | ((after == _BLANK) & _NOT_BEFORE_SPACE[before]))
        active = active[~safe]
        places[active] -= 1
        active = active[places[active] > 0]
    places[active] = -1
    return places


# Characters walked back from a stretch for a place no trigger straddles.
_WALK = 64
_BLANK = ord(" ")
_SEPARATORS = re.compile(r"[/.\- ]+")
_NOT_DIGIT = re.compile(r"\D")


def _parse(value: str) -> datetime.date | None:
    parts = _SEPARATORS.split(value.strip().rstrip("."))
    try:
        if len(parts[0]) == 4:
            year, month, day = map(int, parts[:3])
        elif parts[1].isdigit():
            day, month, year = map(int, parts[:3])
        else:
            day = int(_NOT_DIGIT.sub("", parts[0]))
            month = _MONTHS.get(parts[1].lower().rstrip("."), 0)
            year = int(parts[2])
        return datetime.date(year, month, day)
    except (ValueError, IndexError):
        return None


DATE_OF_BIRTH = register(DateOfBirthDetector())
