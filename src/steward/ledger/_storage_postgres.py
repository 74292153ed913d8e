"""The log on PostgreSQL through psycopg 3.

Each connection sets ``synchronous_commit = on`` so that a commit returns
only once the server has flushed it, whatever the server's default.
Appends lock the ``ledger_meta`` row (``SELECT ... FOR UPDATE``), so
writers in several processes take turns. Large batches go in by binary
``COPY``, small ones by ``executemany``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

import psycopg
from psycopg import sql

from steward.ledger._compact import Node, NodeKey
from steward.ledger._errors import StorageError
from steward.ledger._storage import StaleSize

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_meta (
    id smallint PRIMARY KEY CHECK (id = 1),
    origin text NOT NULL,
    size bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_entry (
    idx bigint PRIMARY KEY,
    leaf_hash bytea NOT NULL,
    data bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_node (
    level smallint NOT NULL,
    idx bigint NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (level, idx)
);
CREATE TABLE IF NOT EXISTS ledger_checkpoint (
    size bigint PRIMARY KEY,
    note text NOT NULL
);
"""

# Batches at least this long are sent by COPY; shorter ones by INSERT.
_COPY_FROM = 64

# An arbitrary constant: the advisory lock that serialises table creation.
_SCHEMA_LOCK = 0x1ED6E5


class PostgresStore:
    def __init__(self, url: str, origin: str, schema: str | None) -> None:
        try:
            self._db = psycopg.connect(url, autocommit=False)
            with self._db.transaction():
                self._db.execute("SET synchronous_commit = on")
                self._db.execute("SELECT pg_advisory_xact_lock(%s)",
                                 (_SCHEMA_LOCK,))
                if schema is not None:
                    name = sql.Identifier(schema)
                    self._db.execute(sql.SQL(
                        "CREATE SCHEMA IF NOT EXISTS {}").format(name))
                    self._db.execute(sql.SQL(
                        "SET search_path TO {}").format(name))
                self._db.execute(_SCHEMA)
                self.origin = _claim_origin(self._db, origin)
        except psycopg.Error as exc:
            raise StorageError(f"cannot open the log: {exc}") from exc

    def size(self) -> int:
        with self._db.transaction():
            row = self._db.execute("SELECT size FROM ledger_meta").fetchone()
        assert row is not None
        return int(row[0])

    def append(
        self,
        start: int,
        entries: Sequence[bytes],
        leaves: Sequence[bytes],
        nodes: Sequence[Node],
    ) -> None:
        db = self._db
        with db.transaction(), db.cursor() as cur:
            cur.execute("SELECT size FROM ledger_meta FOR UPDATE")
            row = cur.fetchone()
            if row is None or row[0] != start:
                raise StaleSize
            rows = zip(range(start, start + len(entries)), leaves, entries,
                       strict=True)
            if len(entries) >= _COPY_FROM:
                _copy(cur, "ledger_entry (idx, leaf_hash, data)",
                      ["int8", "bytea", "bytea"], rows)
                _copy(cur, "ledger_node (level, idx, hash)",
                      ["int2", "int8", "bytea"], nodes)
            else:
                cur.executemany("INSERT INTO ledger_entry (idx, leaf_hash, "
                                "data) VALUES (%s, %s, %s)", list(rows))
                if nodes:
                    cur.executemany("INSERT INTO ledger_node (level, idx, "
                                    "hash) VALUES (%s, %s, %s)", nodes)
            cur.execute("UPDATE ledger_meta SET size = %s",
                        (start + len(entries),))

    def nodes(self, keys: Collection[NodeKey]) -> dict[NodeKey, bytes]:
        leaves = [index for level, index in keys if level == 0]
        levels = [level for level, _ in keys if level]
        indexes = [index for level, index in keys if level]
        # One round trip for the whole proof.
        with self._db.transaction():
            rows = self._db.execute(
                "SELECT n.level, n.idx, n.hash FROM ledger_node n "
                "JOIN unnest(%s::int2[], %s::int8[]) AS k (level, idx) "
                "USING (level, idx) "
                "UNION ALL SELECT 0, idx, leaf_hash FROM ledger_entry "
                "WHERE idx = ANY(%s::int8[])",
                (levels, indexes, leaves),
            ).fetchall()
        return {(level, index): bytes(digest)
                for level, index, digest in rows}

    def entries(self, start: int, stop: int) -> Iterator[tuple[bytes, bytes]]:
        # A named (server-side) cursor streams without loading every row.
        with self._db.transaction(), self._db.cursor(
            name="ledger_entries"
        ) as cur:
            cur.itersize = 10_000
            cur.execute("SELECT data, leaf_hash FROM ledger_entry "
                        "WHERE idx >= %s AND idx < %s ORDER BY idx",
                        (start, stop))
            for data, leaf in cur:
                yield bytes(data), bytes(leaf)

    def save_checkpoint(self, size: int, note: str) -> None:
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO ledger_checkpoint (size, note) VALUES (%s, %s) "
                "ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note",
                (size, note))

    def last_checkpoint(self) -> str | None:
        with self._db.transaction():
            row = self._db.execute(
                "SELECT note FROM ledger_checkpoint ORDER BY size DESC "
                "LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        self._db.close()


def _copy(
    cur: psycopg.Cursor[tuple[object, ...]],
    target: str,
    types: list[str],
    rows: object,
) -> None:
    statement = f"COPY {target} FROM STDIN (FORMAT BINARY)"
    with cur.copy(statement) as copy:
        copy.set_types(types)
        for row in rows:  # type: ignore[attr-defined]
            copy.write_row(row)


def _claim_origin(db: psycopg.Connection[tuple[object, ...]],
                  origin: str) -> str:
    row = db.execute("SELECT origin FROM ledger_meta").fetchone()
    if row is None:
        db.execute("INSERT INTO ledger_meta (id, origin, size) "
                   "VALUES (1, %s, 0)", (origin,))
        return origin
    if row[0] != origin:
        raise StorageError(
            f"this database holds the log {row[0]!r}, not {origin!r}"
        )
    return origin
