"""Dates of birth: a date is personal data when context says whose birth it
marks."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import ClassVar

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from steward.discovery.detectors import _arrays as arrays
from steward.discovery.detectors._base import Detector, Verdict, register

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

    def verdict(self, value: str) -> Verdict:
        day = _parse(value)
        if day is None or not datetime.date(1900, 1, 1) <= day:
            return Verdict.INVALID
        if day > datetime.date.today():
            return Verdict.INVALID
        return Verdict.CHECKED_WEAK


    def verdict_array(self, values: pa.Array) -> pa.Array:
        # ISO dates (the usual form in exports) are parsed by Arrow; the
        # rest, one Python call per distinct value.
        iso = pc.match_substring_regex(values, r"^\d{4}-\d{2}-\d{2}$")
        parsed = pc.strptime(pc.if_else(iso, values, "x"),
                             format="%Y-%m-%d", unit="s", error_is_null=True)
        today = datetime.datetime.now().replace(hour=23, minute=59)
        in_range = pc.and_(
            pc.greater_equal(parsed, pa.scalar(
                datetime.datetime(1900, 1, 1), pa.timestamp("s"))),
            pc.less_equal(parsed, pa.scalar(today, pa.timestamp("s"))))
        iso_verdicts = arrays.verdicts(
            in_range, Verdict.CHECKED_WEAK.value, Verdict.INVALID.value)
        others = pc.unique(pc.filter(values, pc.invert(iso)))
        judged = pa.array([self.verdict(v).value for v in others.to_pylist()],
                          pa.string())
        by_python = pc.take(judged, pc.index_in(values, value_set=others))
        return pc.if_else(iso, iso_verdicts, by_python)


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
