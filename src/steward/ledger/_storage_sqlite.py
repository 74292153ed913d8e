"""The log on SQLite (stdlib ``sqlite3``) in WAL mode, synchronous=FULL.

WAL with ``synchronous=FULL`` syncs the log file at every commit, so a
committed append survives power loss as well as a killed process.
``BEGIN IMMEDIATE`` takes the write lock before the size is read, so two
processes appending to one file take turns instead of racing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence

from steward.ledger._compact import Node, NodeKey
from steward.ledger._errors import StorageError
from steward.ledger._storage import StaleSize

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    origin TEXT NOT NULL,
    size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_entry (
    idx INTEGER PRIMARY KEY,
    leaf_hash BLOB NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_node (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger_checkpoint (
    size INTEGER PRIMARY KEY,
    note TEXT NOT NULL
);
"""


class SqliteStore:
    def __init__(self, path: str, origin: str) -> None:
        try:
            self._db = sqlite3.connect(path, isolation_level=None,
                                       timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            with _transaction(self._db):
                # executescript() would commit the open transaction.
                for statement in _SCHEMA.split(";"):
                    self._db.execute(statement)
                self.origin = _claim_origin(self._db, origin)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the log at {path}: {exc}") from (
                exc
            )

    def size(self) -> int:
        row = self._db.execute("SELECT size FROM ledger_meta").fetchone()
        return int(row[0])

    def append(
        self,
        start: int,
        entries: Sequence[bytes],
        leaves: Sequence[bytes],
        nodes: Sequence[Node],
    ) -> None:
        db = self._db
        with _transaction(db):
            if self.size() != start:
                raise StaleSize
            db.executemany(
                "INSERT INTO ledger_entry (idx, leaf_hash, data) "
                "VALUES (?, ?, ?)",
                zip(range(start, start + len(entries)), leaves, entries,
                    strict=True),
            )
            db.executemany(
                "INSERT INTO ledger_node (level, idx, hash) VALUES (?, ?, ?)",
                nodes,
            )
            db.execute("UPDATE ledger_meta SET size = ?",
                       (start + len(entries),))

    def nodes(self, keys: Collection[NodeKey]) -> dict[NodeKey, bytes]:
        found = {}
        execute = self._db.execute
        for level, index in keys:
            if level == 0:
                row = execute("SELECT leaf_hash FROM ledger_entry "
                              "WHERE idx = ?", (index,)).fetchone()
            else:
                row = execute("SELECT hash FROM ledger_node "
                              "WHERE level = ? AND idx = ?",
                              (level, index)).fetchone()
            if row is not None:
                found[(level, index)] = row[0]
        return found

    def entries(self, start: int, stop: int) -> Iterator[tuple[bytes, bytes]]:
        # A cursor of its own reads one consistent snapshot of the range.
        cursor = self._db.execute(
            "SELECT data, leaf_hash FROM ledger_entry "
            "WHERE idx >= ? AND idx < ? ORDER BY idx", (start, stop))
        yield from cursor

    def save_checkpoint(self, size: int, note: str) -> None:
        with _transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO ledger_checkpoint (size, note) "
                "VALUES (?, ?)", (size, note))

    def last_checkpoint(self) -> str | None:
        row = self._db.execute(
            "SELECT note FROM ledger_checkpoint ORDER BY size DESC LIMIT 1"
        ).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        self._db.close()


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _claim_origin(db: sqlite3.Connection, origin: str) -> str:
    row = db.execute("SELECT origin FROM ledger_meta").fetchone()
    if row is None:
        db.execute("INSERT INTO ledger_meta (id, origin, size) "
                   "VALUES (1, ?, 0)", (origin,))
        return origin
    if row[0] != origin:
        raise StorageError(
            f"this database holds the log {row[0]!r}, not {origin!r}"
        )
    return origin
