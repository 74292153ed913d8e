"""The log on SQLite (stdlib ``sqlite3``) in WAL mode, synchronous=FULL.

WAL with ``synchronous=FULL`` syncs the log file at every commit, so a
committed append survives power loss as well as a killed process.
``BEGIN IMMEDIATE`` takes the write lock before the size is read, so two
processes appending to one file take turns instead of racing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence

from steward.ledger._compact import NodeKey, hash_position, node_position
from steward.ledger._errors import StorageError
from steward.ledger._hashing import HASH_SIZE
from steward.ledger._runs import (
    RUN,
    UPPER,
    StaleSize,
    make_runs,
    unpack,
    upper_nodes,
)
from steward.ledger._schema import claim_origin, table_statements

# The run holding a leaf is the last one starting at or before it; of its
# hashes, take only the 32 bytes asked for. One statement serves a whole
# proof: a row of VALUES per wanted subtree (leaf, place in the sequence).
_NODE = ("k.column1, "
         "(SELECT substr(hashes, 1 + 32 * (k.column3 - hash_base), 32) "
         "FROM ledger_entry_run WHERE first <= k.column2 "
         "ORDER BY first DESC LIMIT 1)")


# A single append's statements (see append()).
_GROW = "UPDATE ledger_meta SET size = ? WHERE size = ?"
_INSERT_ONE = ("INSERT INTO ledger_entry_run (first, count, hash_base, "
               "hashes, data) VALUES (?, 1, ?, ?, ?)")


class SqliteStore:
    def __init__(self, path: str, origin: str) -> None:
        try:
            # A handle is used by one thread at a time, not always the
            # same one: GroupCommit hands it from leader to leader.
            self._db = sqlite3.connect(path, isolation_level=None,
                                       timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # Proofs read scattered pages: a larger cache (64 MiB) keeps
            # ledger_node and the B-tree's inner pages in memory.
            self._db.execute("PRAGMA cache_size=-65536")
            with _transaction(self._db):
                # executescript() would commit the open transaction.
                for statement in table_statements("sqlite"):
                    self._db.execute(statement)
                claim_origin(self._db.execute, origin, "?")
                self.origin = origin
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the log at {path}: {exc}") from (
                exc
            )

    def size(self) -> int:
        row = self._db.execute("SELECT size FROM ledger_meta").fetchone()
        return int(row[0])

    def append(
        self, start: int, entries: Sequence[bytes], hashes: Sequence[bytes]
    ) -> None:
        db = self._db
        if len(entries) == 1 and (start + 1) % RUN:
            # A single append that completes no upper subtree (most of
            # them): its one run, without make_runs().
            entry = entries[0]
            # _transaction, written out: this is every single append.
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute(_GROW, (start + 1, start)).rowcount != 1:
                    raise StaleSize
                db.execute(_INSERT_ONE, (
                    start, hash_position(start), b"".join(hashes),
                    len(entry).to_bytes(2, "big") + entry))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # a failed COMMIT may have ended it
                    db.execute("ROLLBACK")
                raise
            return
        runs = [run.as_row() for run in make_runs(start, entries, hashes)]
        upper = upper_nodes(start, start + len(entries), hashes)
        with _transaction(db):
            # Grow the size only from the one these runs were cut for.
            grown = db.execute("UPDATE ledger_meta SET size = ? "
                               "WHERE size = ?",
                               (start + len(entries), start)).rowcount
            if grown != 1:
                raise StaleSize
            db.executemany(
                "INSERT INTO ledger_entry_run (first, count, hash_base, "
                "hashes, data) VALUES (?, ?, ?, ?, ?)", runs)
            if upper:
                db.executemany("INSERT INTO ledger_node (level, idx, hash) "
                               "VALUES (?, ?, ?)", upper)

    def nodes(self, keys: Collection[NodeKey]) -> dict[NodeKey, bytes]:
        found = self._upper([key for key in keys if key[0] >= UPPER])
        found.update(self._lower([key for key in keys if key[0] < UPPER]))
        return found

    def _upper(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        if not keys:
            return {}
        values = ", ".join(["(?, ?)"] * len(keys))
        # A correlated lookup per key: "(level, idx) IN (VALUES ...)" would
        # scan the whole table.
        rows = self._db.execute(
            "SELECT k.column1, k.column2, (SELECT hash FROM ledger_node "
            "WHERE level = k.column1 AND idx = k.column2) "
            f"FROM (VALUES {values}) AS k",
            [part for key in keys for part in key])
        return {(level, index): digest for level, index, digest in rows
                if digest is not None}

    def _lower(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        if not keys:
            return {}
        # Runs never cross a multiple of RUN, so the runs holding the
        # subtrees completed by leaves of one group of RUN all start in it:
        # one range of the primary key per group, sliced here.
        groups: dict[int, list[tuple[NodeKey, int, int]]] = {}
        for key in keys:
            leaf, position = node_position(key)
            groups.setdefault(leaf // RUN, []).append((key, leaf, position))
        found: dict[NodeKey, bytes] = {}
        for group, places in groups.items():
            rows = self._db.execute(
                "SELECT hash_base, hashes FROM ledger_entry_run "
                "WHERE first >= ? AND first <= ?",
                (group * RUN, max(leaf for _, leaf, _ in places))).fetchall()
            for key, _, position in places:
                for base, hashes in rows:
                    at = (position - base) * HASH_SIZE
                    if 0 <= at and at + HASH_SIZE <= len(hashes):
                        found[key] = hashes[at:at + HASH_SIZE]
                        break
        if len(found) < len(keys):  # runs cut otherwise: look each up
            found.update(self._lookup([k for k in keys if k not in found]))
        return found

    def _lookup(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        places = [value for number, key in enumerate(keys)
                  for value in (number, *node_position(key))]
        values = ", ".join(["(?, ?, ?)"] * len(keys))
        rows = self._db.execute(
            f"SELECT {_NODE} FROM (VALUES {values}) AS k", places
        ).fetchall()
        return {keys[number]: digest for number, digest in rows
                if digest is not None and len(digest) == 32}

    def upper_levels(self, start: int, stop: int,
                     floor: int) -> dict[int, bytes]:
        # Complete subtrees never change: no snapshot needed across levels.
        levels = {}
        for level in range(max(floor, UPPER), stop.bit_length()):
            rows = self._db.execute(
                "SELECT hash FROM ledger_node WHERE level = ? "
                "AND idx >= ? AND idx < ? ORDER BY idx",
                (level, start >> level, stop >> level))
            levels[level] = b"".join([row[0] for row in rows])
        return levels

    def entries(self, start: int, stop: int) -> Iterator[tuple[bytes, bytes]]:
        # A cursor of its own reads one consistent snapshot of the range.
        cursor = self._db.execute(
            "SELECT first, count, hash_base, hashes, data "
            "FROM ledger_entry_run WHERE first >= coalesce(("
            "SELECT max(first) FROM ledger_entry_run WHERE first <= ?), 0) "
            "AND first < ? ORDER BY first", (start, stop))
        for first, count, base, hashes, data in cursor:
            yield from unpack(first, count, data, base, hashes, start, stop)

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
