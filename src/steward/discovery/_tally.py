"""Counts kept while scanning, merged across units into a ``Report``.

Values never enter a tally: each is hashed with the scan's secret key (so
that hashes from different workers agree, and mean nothing outside the
scan) and masked before it is kept as a sample.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from steward.discovery.report import (
    EntityTotal,
    Finding,
    FindingKind,
    Location,
    Problem,
    Report,
)

MAX_POSITIONS = 10
MAX_SAMPLES = 3


def _seeds(key: bytes) -> tuple[int, int]:
    return (int.from_bytes(key[:4], "big"), int.from_bytes(key[4:8], "big")
            or 1)


def value_hash(normalised: str, key: bytes) -> int:
    """A keyed 64-bit hash of a normalised value, for distinct counts."""
    return value_hashes([normalised], key)[0]


def value_hashes(normalised: list[str], key: bytes) -> list[int]:
    """``value_hash`` for many values at once.

    CRC-32 and Adler-32 seeded from the scan's key, side by side: fast
    enough for every cell of a large table (a cryptographic hash per value
    costs several times the rest of the scan) and, at 64 bits, with few
    collisions. The hashes only count; they never leave the scan.
    """
    return bytes_hashes(
        [value.encode("utf-8", "surrogatepass") for value in normalised], key)


def bytes_hashes(encoded: list[bytes], key: bytes) -> list[int]:
    """``value_hashes`` for values already encoded as UTF-8."""
    crc_seed, adler_seed = _seeds(key)
    crc, adler = zlib.crc32, zlib.adler32
    return [crc(data, crc_seed) << 32 | adler(data, adler_seed)
            for data in encoded]


@dataclass(slots=True)
class Tally:
    """Running counts for one entity in one place."""

    count: int = 0
    validated: int = 0
    score_total: float = 0.0
    hashes: set[int] = field(default_factory=set)
    positions: list[int] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    # For column findings: values that passed and values looked at.
    passed: int = 0
    looked_at: int = 0

    def add(self, *, score: float, validated: bool, digest: int,
            position: int, sample: str, times: int = 1) -> None:
        self.count += times
        self.validated += times if validated else 0
        self.score_total += score * times
        self.hashes.add(digest)
        if len(self.positions) < MAX_POSITIONS:
            self.positions.append(position)
        if len(self.samples) < MAX_SAMPLES and sample not in self.samples:
            self.samples.append(sample)

    def merge(self, other: Tally) -> None:
        self.count += other.count
        self.validated += other.validated
        self.score_total += other.score_total
        self.hashes |= other.hashes
        room = MAX_POSITIONS - len(self.positions)
        self.positions.extend(other.positions[:max(room, 0)])
        for sample in other.samples:
            if len(self.samples) < MAX_SAMPLES and sample not in self.samples:
                self.samples.append(sample)
        self.passed += other.passed
        self.looked_at += other.looked_at


TallyKey = tuple[Location, str, FindingKind]


@dataclass(slots=True)
class UnitResult:
    """What one unit of work hands back to the coordinator."""

    tallies: dict[TallyKey, Tally] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    sources: int = 0
    bytes_read: int = 0

    def tally(self, location: Location, entity: str,
              kind: FindingKind) -> Tally:
        key = (location, entity, kind)
        found = self.tallies.get(key)
        if found is None:
            found = self.tallies[key] = Tally()
        return found

    def merge(self, other: UnitResult) -> None:
        for key, tally in other.tallies.items():
            mine = self.tallies.get(key)
            if mine is None:
                self.tallies[key] = tally
            else:
                mine.merge(tally)
        self.problems.extend(other.problems)
        self.skipped.extend(other.skipped)
        self.sources += other.sources
        self.bytes_read += other.bytes_read


def build_report(results: list[UnitResult]) -> Report:
    """Merge unit results, in the order given, into a report."""
    merged = UnitResult()
    for result in results:
        merged.merge(result)
    findings = []
    by_entity: dict[str, list[Tally]] = {}
    for (location, entity, kind), tally in sorted(
        merged.tallies.items(), key=lambda item: item[0]
    ):
        if tally.count == 0:
            continue
        by_entity.setdefault(entity, []).append(tally)
        share = (
            round(tally.passed / tally.looked_at, 4)
            if kind == "column" and tally.looked_at
            else None
        )
        findings.append(
            Finding(
                entity=entity,
                location=location,
                kind=kind,
                count=tally.count,
                distinct=len(tally.hashes),
                validated=tally.validated,
                confidence=round(tally.score_total / tally.count, 2),
                share=share,
                positions=tuple(tally.positions),
                samples=tuple(tally.samples),
            )
        )
    totals = tuple(
        EntityTotal(
            entity=entity,
            count=sum(t.count for t in tallies),
            distinct=len(set().union(*(t.hashes for t in tallies))),
            places=len(tallies),
        )
        for entity, tallies in sorted(by_entity.items())
    )
    return Report(
        findings=tuple(findings),
        problems=tuple(sorted(merged.problems, key=lambda p: p.path)),
        totals=totals,
        sources=merged.sources,
        bytes_read=merged.bytes_read,
        skipped=tuple(sorted(merged.skipped)),
    )
