"""What a detector's pattern guarantees about every string it matches.

The engine skips text that cannot hold a match: every value of the
built-in shared-pass detectors holds an ASCII digit, so only the runs of
characters around digits need the shared pass; and a region with fewer
digits than a pattern needs is not searched with that pattern. A
registered detector need not promise anything, so the engine asks its
pattern. The answer comes
from Python's own parse of the pattern (``re._parser``); anything this
module does not know how to read counts as "no guarantee", and the
engine then scans all the text for that detector, as it always did.
"""

from __future__ import annotations

import re
from typing import Any

try:
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without them
    _parser = None

_DIGITS = frozenset(range(48, 58))
_CAPITALS = frozenset(range(65, 91))


def min_digits(pattern: str, flags: int = re.ASCII) -> int:
    """How many ASCII digits every string ``pattern`` matches (compiled
    with ``flags``) holds at least; 0 when unsure."""
    if not flags & re.ASCII:
        # Without re.ASCII, \\d also matches digits of other scripts.
        return 0
    return _least(pattern, flags, _DIGITS)


def min_capitals(pattern: str, flags: int = re.ASCII) -> int:
    """How many ASCII capitals every string ``pattern`` matches holds at
    least; 0 when unsure."""
    if flags & re.IGNORECASE:
        return 0
    return _least(pattern, flags, _CAPITALS)


def _least(pattern: str, flags: int, chars: frozenset[int]) -> int:
    if _parser is None:  # pragma: no cover
        return 0
    try:
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & re.ASCII == 0 or (
                parsed.state.flags & re.IGNORECASE):
            return 0
        return _sequence(list(parsed), chars)
    except (re.error, TypeError, ValueError,
            AttributeError):  # pragma: no cover
        return 0


def always_has_digit(pattern: str, flags: int = re.ASCII) -> bool:
    """Whether every string ``pattern`` matches holds an ASCII digit."""
    return min_digits(pattern, flags) >= 1


def min_width(pattern: str, flags: int = re.ASCII) -> int:
    """The length of the shortest string ``pattern`` matches; 0 when
    unsure."""
    if _parser is None:  # pragma: no cover
        return 0
    try:
        return int(_parser.parse(pattern, flags).getwidth()[0])
    except (re.error, TypeError, ValueError,
            AttributeError):  # pragma: no cover
        return 0


def _sequence(items: list[tuple[Any, Any]], chars: frozenset[int]) -> int:
    return sum(_item(op, av, chars) for op, av in items)


def _item(op: Any, av: Any, chars: frozenset[int]) -> int:
    if op is _c.LITERAL:
        return 1 if av in chars else 0
    if op is _c.IN:
        members = _members(av)
        return 1 if members and members <= chars else 0
    if op is _c.BRANCH:
        return min(_sequence(list(branch), chars) for branch in av[1])
    if op is _c.SUBPATTERN:
        _, add_flags, _, body = av
        # (?u:...) would let \\d match digits of other scripts, (?i:...)
        # a capital match a small letter.
        if add_flags & (re.UNICODE | re.IGNORECASE | re.LOCALE):
            return 0
        return _sequence(list(body), chars)
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av), chars)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _, body = av
        return int(low) * _sequence(list(body), chars)
    # Assertions, anchors, ANY, back-references: no promise.
    return 0


def first_chars(pattern: str, flags: int = re.ASCII) -> frozenset[str] | None:
    """The characters a match of ``pattern`` (compiled with ``flags``)
    can start with; None when unsure (or when it can match the empty
    string)."""
    if _parser is None or flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
            return None
        found = _firsts(list(parsed))
    except (re.error, TypeError, ValueError,
            AttributeError):  # pragma: no cover
        return None
    if found is None or found[1]:
        return None
    return frozenset(chr(code) for code in found[0])


# What can start a match of a piece of pattern, and whether the piece
# can match the empty string; None when unsure.
_Firsts = tuple[frozenset[int], bool] | None


def _firsts(items: list[tuple[Any, Any]]) -> _Firsts:
    codes: frozenset[int] = frozenset()
    for op, av in items:
        found = _first(op, av)
        if found is None:
            return None
        codes |= found[0]
        if not found[1]:
            return codes, False
    return codes, True


def _first(op: Any, av: Any) -> _Firsts:
    if op is _c.LITERAL:
        return frozenset((av,)), False
    if op is _c.IN:
        members = _members(av)
        return None if members is None else (members, False)
    if op is _c.BRANCH:
        codes: frozenset[int] = frozenset()
        empty = False
        for branch in av[1]:
            found = _firsts(list(branch))
            if found is None:
                return None
            codes |= found[0]
            empty = empty or found[1]
        return codes, empty
    if op is _c.SUBPATTERN:
        _, add_flags, _, body = av
        if add_flags & (re.IGNORECASE | re.LOCALE | re.UNICODE):
            return None
        return _firsts(list(body))
    if op is _c.ATOMIC_GROUP:
        return _firsts(list(av))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, body = av
        found = _firsts(list(body))
        if found is None:
            return None
        return found[0], found[1] or low == 0 or high == 0
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        # Zero width: what follows starts the match.
        return frozenset(), True
    return None


def _members(members: list[tuple[Any, Any]]) -> frozenset[int] | None:
    """The characters of a class; None when unsure."""
    codes: set[int] = set()
    for op, av in members:
        if op is _c.LITERAL:
            codes.add(av)
        elif op is _c.RANGE:
            codes.update(range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            codes.update(_DIGITS)
        else:
            return None
    return frozenset(codes)
