"""``--fail-on`` rules: when a report should stop data leaving.

A rule is ``ENTITY>=N`` (also ``>``, ``=``), ``ENTITY`` alone (at least
one), or ``any-ppd`` (any personal data at all). Several rules are joined
with commas; the gate trips when any of them holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steward.discovery._errors import ScanConfigError
from steward.discovery.detectors import registered
from steward.discovery.report import Report

ANY = "any-ppd"
_RULE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_\-]*)\s*(?:(>=|>|==|=)\s*"
                   r"(\d+))?\s*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One condition on a report's totals."""

    entity: str
    operator: str
    threshold: int

    def __str__(self) -> str:
        if self.entity == ANY:
            return ANY
        return f"{self.entity}{self.operator}{self.threshold}"

    def holds(self, report: Report) -> bool:
        found = (
            sum(total.count for total in report.totals)
            if self.entity == ANY
            else report.total(self.entity)
        )
        if self.operator == ">":
            return found > self.threshold
        if self.operator in ("=", "=="):
            return found == self.threshold
        return found >= self.threshold


def parse_rules(spec: str) -> tuple[Rule, ...]:
    """Rules from ``--fail-on`` text; ``ScanConfigError`` if malformed."""
    entities = {detector.entity for detector in registered()}
    rules = []
    for part in spec.split(","):
        found = _RULE.match(part)
        if not found:
            raise ScanConfigError(
                f"--fail-on {part.strip()!r}: write ENTITY>=N (for "
                f"example UK_NINO>=1000) or {ANY}")
        name, operator, number = found.groups()
        if name.lower() == ANY:
            rules.append(Rule(ANY, ">=", 1))
            continue
        if name not in entities:
            raise ScanConfigError(
                f"--fail-on {part.strip()!r}: unknown entity {name!r}; "
                f"known: {', '.join(sorted(entities))} or {ANY}")
        rules.append(Rule(name, operator or ">=", int(number or 1)))
    return tuple(rules)


def tripped(rules: tuple[Rule, ...], report: Report) -> list[Rule]:
    """The rules that hold for ``report``."""
    return [rule for rule in rules if rule.holds(report)]
