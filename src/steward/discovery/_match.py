"""The value a detector hands back for one occurrence in text."""

from __future__ import annotations

from typing import NamedTuple


class Match(NamedTuple):
    """One occurrence of an identifier in a piece of text.

    ``start`` and ``end`` are indices into the scanned string (``end`` is
    exclusive). ``validated`` is true when a check beyond the shape passed:
    a checksum, an allocation rule or a calendar date. A named tuple rather
    than a dataclass: scans make millions, and tuples are cheaper to build;
    they also sort by position.
    """

    start: int
    end: int
    entity: str
    score: float
    validated: bool
