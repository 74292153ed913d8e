"""What a log needs from its database, and opening one by URL.

Each backend keeps four tables, all prefixed ``ledger_`` so that they can
share the Django platform's database:

- ``ledger_meta``: one row, the log's origin and committed size. Appends
  lock it, so concurrent writers take turns and each sees the true size.
- ``ledger_entry_run``: the entries, in runs of up to ``RUN`` consecutive
  entries per row (a single append is a run of one). A row holds ``first``
  (the first entry's index), ``count``, ``data`` (each entry as a 2-byte
  big-endian length and its bytes, as in tlog-tiles' entry bundles),
  ``hash_base`` and ``hashes``: for each entry its leaf hash followed by the
  hash of every perfect subtree its append completed. ``hash_base`` is the
  place of the row's first hash in that sequence over the whole log, so
  any subtree's hash is one indexed lookup and a 32-byte slice (see
  ``steward.ledger._compact.node_position``). Runs make a batched append a
  few large rows instead of one small row per entry and per subtree, which
  is what lets batches reach hundreds of thousands of entries a second.
- ``ledger_node``: ``(level, idx, hash)`` of the perfect subtrees of level
  8 and above (one row per 128 entries): few enough that a process reads
  them in one query and holds them in memory (``steward.ledger.log``), so
  that a proof reads from storage only the runs of its leaf's group of 256
  (runs never cross a multiple of 256: one range of their key).
- ``ledger_checkpoint``: signed checkpoints by size, the log's memory of
  what it has signed.

An append writes its runs and the new size in one transaction committed
synchronously: once ``append`` returns the entries survive a crash, and a
crash before then leaves no trace of them.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from typing import Protocol

from steward.ledger._compact import NodeKey
from steward.ledger._errors import StorageError
from steward.ledger._storage_postgres import PostgresStore
from steward.ledger._storage_sqlite import SqliteStore


class Store(Protocol):
    """A durable home for one log's entries and subtree hashes."""

    origin: str

    def size(self) -> int:
        """The committed number of entries, read afresh."""

    def append(
        self, start: int, entries: Sequence[bytes], hashes: Sequence[bytes]
    ) -> None:
        """Commit entries ``start..`` and their hash sequence durably;
        ``StaleSize`` if the log has grown past ``start`` meanwhile
        (nothing is written then)."""

    def nodes(self, keys: Collection[NodeKey]) -> dict[NodeKey, bytes]:
        """Hashes of the given subtrees (level 0 is a leaf hash)."""

    def upper_levels(self, start: int, stop: int,
                     floor: int) -> dict[int, bytes]:
        """For each level from ``floor`` (at least ``UPPER``) up, the
        hashes, back to back by index, of the level's subtrees that leaves
        ``start`` to ``stop - 1`` completed (a level none completed may be
        left out)."""

    def entries(self, start: int, stop: int) -> Iterator[tuple[bytes, bytes]]:
        """``(data, leaf_hash)`` of entries ``start`` to ``stop - 1``."""

    def save_checkpoint(self, size: int, note: str) -> None:
        """Keep a signed checkpoint (committed before returning)."""

    def last_checkpoint(self) -> str | None:
        """The signed checkpoint of the largest size, if any."""

    def close(self) -> None: ...


def open_store(
    location: str | os.PathLike[str], origin: str, schema: str | None
) -> Store:
    """A SQLite path (or ``sqlite:///`` URL) or a ``postgresql://`` URL."""
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresStore(text, origin, schema)
    if schema is not None:
        raise StorageError("a schema applies to PostgreSQL only")
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    elif "://" in text:
        raise StorageError(
            f"cannot open {text!r}: give a SQLite path or a postgresql:// URL"
        )
    return SqliteStore(text, origin)
