"""How results combine and score (no database).

Combining checks: a requirement evidenced by several checks takes the
checks that apply (not "not applicable"); none apply → not applicable;
all met → met; all not met → not met; otherwise partly met.

Scoring: met counts 1, partly met 0.5, not met 0; "not applicable" and
unanswered requirements are left out. The score is the mean over the
rest, as a percentage rounded to a whole number; with nothing to score
there is no score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from steward.controls.models import Result

WEIGHTS = {Result.MET: 1.0, Result.PARTLY_MET: 0.5, Result.NOT_MET: 0.0}

RULE = (
    "Met counts 1, partly met ½ and not met 0. Requirements that are not "
    "applicable or not yet answered are left out. The score is the "
    "average of the rest, as a percentage."
)

FAILING = (Result.NOT_MET, Result.PARTLY_MET)


def combine(outcomes: Iterable[str]) -> str:
    applying = [o for o in outcomes if o != Result.NOT_APPLICABLE]
    if not applying:
        return Result.NOT_APPLICABLE
    if all(o == Result.MET for o in applying):
        return Result.MET
    if all(o == Result.NOT_MET for o in applying):
        return Result.NOT_MET
    return Result.PARTLY_MET


@dataclass(frozen=True)
class Tally:
    total: int = 0
    met: int = 0
    partly_met: int = 0
    not_met: int = 0
    not_applicable: int = 0

    @property
    def answered(self) -> int:
        return self.met + self.partly_met + self.not_met + self.not_applicable

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def scored(self) -> int:
        return self.met + self.partly_met + self.not_met

    @property
    def score(self) -> int | None:
        if not self.scored:
            return None
        return round(100 * (self.met + 0.5 * self.partly_met) / self.scored)

    @property
    def progress(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def tally(results: Iterable[str]) -> Tally:
    counts = {r: 0 for r in Result.values}
    total = 0
    for r in results:
        total += 1
        if r in counts:
            counts[r] += 1
    return Tally(
        total=total,
        met=counts[Result.MET],
        partly_met=counts[Result.PARTLY_MET],
        not_met=counts[Result.NOT_MET],
        not_applicable=counts[Result.NOT_APPLICABLE],
    )


def score_of(result: str) -> float | None:
    return WEIGHTS.get(result)  # type: ignore[call-overload]
