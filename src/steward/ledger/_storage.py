"""What a log needs from its database, and opening one by URL.

Each backend keeps four tables, all prefixed ``ledger_`` so that they can
share the Django platform's database:

- ``ledger_meta``: one row, the log's origin and committed size. Appends
  lock it, so concurrent writers take turns and each sees the true size.
- ``ledger_entry``: ``idx``, ``leaf_hash`` and ``data`` of every entry.
- ``ledger_node``: ``(level, idx, hash)`` of every complete perfect subtree
  above the leaves; any proof or past root needs O(log n) of them.
- ``ledger_checkpoint``: signed checkpoints by size, the log's memory of
  what it has signed.

An append writes its entries, the subtrees they complete and the new size
in one transaction committed synchronously: once ``append`` returns the
entries survive a crash, and a crash before then leaves no trace of them.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from typing import Protocol

from steward.ledger._compact import Node, NodeKey
from steward.ledger._errors import StorageError


class StaleSize(Exception):
    """Another writer appended since this handle last looked."""


class Store(Protocol):
    """A durable home for one log's entries and subtree hashes."""

    origin: str

    def size(self) -> int:
        """The committed number of entries, read afresh."""

    def append(
        self,
        start: int,
        entries: Sequence[bytes],
        leaves: Sequence[bytes],
        nodes: Sequence[Node],
    ) -> None:
        """Commit entries ``start..`` durably; ``StaleSize`` if the log has
        grown past ``start`` meanwhile (nothing is written then)."""

    def nodes(self, keys: Collection[NodeKey]) -> dict[NodeKey, bytes]:
        """Hashes of the given subtrees (level 0 is a leaf hash)."""

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
        from steward.ledger._storage_postgres import PostgresStore

        return PostgresStore(text, origin, schema)
    if schema is not None:
        raise StorageError("a schema applies to PostgreSQL only")
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    elif "://" in text:
        raise StorageError(
            f"cannot open {text!r}: give a SQLite path or a postgresql:// URL"
        )
    from steward.ledger._storage_sqlite import SqliteStore

    return SqliteStore(text, origin)
