"""Runs: consecutive entries stored in one row, with their hashes.

See ``steward.ledger._storage`` for the table that holds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from steward.ledger._compact import hash_position
from steward.ledger._hashing import HASH_SIZE

RUN = 256
"""The most entries one ``ledger_entry_run`` row holds."""


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
    for offset in range(0, len(entries), RUN):
        first = start + offset
        chunk = entries[offset:offset + RUN]
        stop = first + len(chunk)
        low, high = hash_position(first) - base, hash_position(stop) - base
        data = b"".join([len(e).to_bytes(2, "big") + e for e in chunk])
        runs.append(Run(first, len(chunk), base + low,
                        b"".join(hashes[low:high]), data))
    return runs


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
