"""Runs: consecutive entries stored in one row, with their hashes.

See ``steward.ledger._storage`` for the table that holds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from steward.ledger._compact import hash_position
from steward.ledger._hashing import HASH_SIZE

RUN = 256
"""The most entries one ``ledger_entry_run`` row holds; rows never cross a
multiple of it, so a leaf's siblings below ``UPPER`` share its row when the
entries came in one batch."""

UPPER = 8
"""Subtrees of this level and above (one per 128 leaves in all) are also
kept in ``ledger_node``, a table small enough for a process to hold in
memory, so that the upper part of a proof needs no read at all."""


class StaleSize(Exception):
    """Another writer appended since this handle last looked."""


@dataclass(frozen=True)
class Run:
    """One ``ledger_entry_run`` row."""

    first: int
    count: int
    hash_base: int
    hashes: bytes
    data: bytes

    def as_row(self) -> tuple[int, int, int, bytes, bytes]:
        # Hashes before data: a proof's lookups then stop reading the row
        # before the (larger) entries.
        return (self.first, self.count, self.hash_base, self.hashes,
                self.data)


def make_runs(
    start: int, entries: Sequence[bytes], hashes: Sequence[bytes]
) -> list[Run]:
    """Cut entries ``start..`` and their hash sequence into rows."""
    runs = []
    base = hash_position(start)
    end = start + len(entries)
    first = start
    while first < end:
        stop = min(end, (first // RUN + 1) * RUN)
        chunk = entries[first - start:stop - start]
        low, high = hash_position(first) - base, hash_position(stop) - base
        data = b"".join([len(e).to_bytes(2, "big") + e for e in chunk])
        runs.append(Run(first, len(chunk), base + low,
                        b"".join(hashes[low:high]), data))
        first = stop
    return runs


def upper_nodes(start: int, stop: int,
                hashes: Sequence[bytes]) -> list[tuple[int, int, bytes]]:
    """``(level, index, hash)`` of the subtrees of level ``UPPER`` and
    above completed by appending leaves ``start`` to ``stop - 1``."""
    nodes = []
    base = hash_position(start)
    mask = (1 << UPPER) - 1
    # Only a leaf whose index ends in UPPER one bits completes one.
    leaf = start | mask
    while leaf < stop:
        place = hash_position(leaf) - base
        ones = ((leaf + 1) & -(leaf + 1)).bit_length() - 1
        for level in range(UPPER, ones + 1):
            nodes.append((level, ((leaf + 1) >> level) - 1,
                          hashes[place + level]))
        leaf += 1 << UPPER
    return nodes


def unpack(first: int, count: int, data: bytes, hash_base: int,
           hashes: bytes, start: int, stop: int
           ) -> Iterator[tuple[bytes, bytes]]:
    """``(entry, leaf hash)`` for the run's entries in ``[start, stop)``."""
    position = 0
    for index in range(first, first + count):
        length = int.from_bytes(data[position:position + 2], "big")
        if start <= index < stop:
            at = (hash_position(index) - hash_base) * HASH_SIZE
            yield (data[position + 2:position + 2 + length],
                   hashes[at:at + HASH_SIZE])
        position += 2 + length
