"""Counts kept while scanning, merged across units into a ``Report``.

Values never enter a tally: each is hashed with the scan's secret key (so
that hashes from different workers agree, and mean nothing outside the
scan) and masked before it is kept as a sample.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from steward.discovery.detectors._arrays import utf8_buffers
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


_MASK = (1 << 64) - 1
_weights: dict[bytes, np.ndarray] = {}


def _weight_table(key: bytes, longest: int) -> np.ndarray:
    """The scan's 64-bit weights: one for the length, then one per byte
    position, drawn from BLAKE2b of the key (kept per key)."""
    found = _weights.get(key)
    if found is None or len(found) <= longest + 1:
        size = max(128, 2 * longest + 2)
        stream = b"".join(
            hashlib.blake2b(counter.to_bytes(8, "big"), key=key[:64],
                            digest_size=64, person=b"steward-hash").digest()
            for counter in range((size * 8 + 63) // 64))
        found = np.frombuffer(stream, "<u8", size).copy()
        if len(_weights) > 16:
            _weights.clear()
        _weights[key] = found
    return found


def value_hash(normalised: str, key: bytes) -> int:
    """A keyed 64-bit hash of a normalised value, for distinct counts.

    A weighted sum, modulo 2**64, of the value's UTF-8 bytes (each plus
    one) and its length, with weights drawn from the scan's key: hashes
    from different workers agree, mean nothing outside the scan, and only
    count (they never leave it). Two different values of up to a few
    hundred bytes collide with a chance of about 2**-56. This is the plain
    definition; ``hash_array`` computes the same for a column at once.
    """
    data = normalised.encode("utf-8", "surrogatepass")
    weights = _weight_table(key, len(data)).tolist()
    total = len(data) * weights[0]
    for position, byte in enumerate(data, start=1):
        total += (byte + 1) * weights[position]
    return int(total & _MASK)


def hash_array(values: pa.Array, key: bytes) -> np.ndarray:
    """``value_hash`` of every value of a string array, as uint64."""
    offsets, data = utf8_buffers(values)
    lengths = np.diff(offsets)
    if len(lengths) == 0:
        return np.zeros(0, np.uint64)
    longest = int(lengths.max())
    weights = _weight_table(key, longest)
    if longest == int(lengths.min()):
        # Values of one length (most identifiers, once normalised): the
        # bytes form a matrix, summed column by column.
        matrix = data.reshape(len(lengths), longest)
        total = np.full(len(lengths), longest * int(weights[0]) & _MASK,
                        np.uint64)
        with np.errstate(over="ignore"):
            for position in range(longest):
                total += ((matrix[:, position].astype(np.uint64) + 1)
                          * weights[position + 1])
        return total
    # Each byte's position within its value, from 1.
    position = np.arange(1, len(data) + 1) - np.repeat(offsets[:-1],
                                                       lengths)
    terms = (data.astype(np.uint64) + np.uint64(1)) * weights[position]
    sums = np.zeros(len(data) + 1, np.uint64)
    np.cumsum(terms, out=sums[1:])
    with np.errstate(over="ignore"):
        hashes: np.ndarray = (sums[offsets[1:]] - sums[offsets[:-1]]
                              + lengths.astype(np.uint64) * weights[0])
    return hashes


def value_hashes(normalised: list[str], key: bytes) -> list[int]:
    """``value_hash`` for many values at once."""
    hashes: list[int] = hash_array(
        pa.array(normalised, pa.string()), key).tolist()
    return hashes


def distinct(hashes: set[int], arrays: list[np.ndarray]) -> int:
    """How many distinct hashes a set and arrays of them hold between
    them. Arrays come from ``unique``: one alone needs no more work."""
    if not hashes and len(arrays) == 1:
        return len(arrays[0])
    if not arrays:
        return len(hashes)
    parts = [np.fromiter(hashes, np.uint64, len(hashes)), *arrays]
    return len(unique(np.concatenate(parts)))


def unique(hashes: np.ndarray) -> np.ndarray:
    """The distinct values of an array of hashes, sorted. (By sorting:
    numpy's own ``unique`` hashes, which is several times slower here.)"""
    ordered = np.sort(hashes)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


@dataclass(slots=True)
class Tally:
    """Running counts for one entity in one place."""

    count: int = 0
    validated: int = 0
    score_total: float = 0.0
    hashes: set[int] = field(default_factory=set)
    # Hashes of whole columns, kept as arrays until the report counts them.
    hash_arrays: list[np.ndarray] = field(default_factory=list)
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
        self.hash_arrays.extend(other.hash_arrays)
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
                distinct=distinct(tally.hashes, tally.hash_arrays),
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
            distinct=distinct(
                set().union(*(t.hashes for t in tallies)),
                [a for t in tallies for a in t.hash_arrays]),
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
