"""The log on PostgreSQL through psycopg 3.

Each connection sets ``synchronous_commit = on`` so that a commit returns
only once the server has flushed it, whatever the server's default.
Appends lock the ``ledger_meta`` row, so writers in several processes take
turns. A short append is one statement (one round trip); a long batch goes
in by binary ``COPY`` inside a transaction.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from itertools import pairwise

import psycopg
from psycopg import pq, sql

from steward.ledger._compact import NodeKey, hash_position
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

# Batches of at least this many runs are sent by COPY; fewer by INSERT.
_COPY_FROM = 4

# One round trip per proof, a prepared statement: subtrees of level UPPER
# and above from ledger_node; for the lower ones, per group of 2**UPPER
# leaves, the one slice of the hash sequence that holds all of them, from
# each run that overlaps it (as rows of -1, first position, slice). One
# slice per group reads a run's out-of-line (TOAST) hashes once, where a
# substring() per subtree would read them once per subtree.
_NODES = """
SELECT u.level, u.idx, n.hash
FROM unnest($1::int8[], $2::int8[]) AS u (level, idx)
CROSS JOIN LATERAL (
    SELECT hash FROM ledger_node WHERE level = u.level AND idx = u.idx
) AS n
UNION ALL
SELECT -1, greatest(s.low, r.hash_base),
       substring(r.hashes
                 FROM (1 + 32 * greatest(s.low - r.hash_base, 0))::int
                 FOR (32 * (s.high - greatest(s.low, r.hash_base)))::int)
FROM unnest($3::int8[], $4::int8[], $5::int8[], $6::int8[])
     AS s (first_leaf, last_leaf, low, high)
CROSS JOIN LATERAL (
    SELECT hash_base, hashes FROM ledger_entry_run
    WHERE first >= (SELECT first FROM ledger_entry_run
                    WHERE first <= s.first_leaf
                    ORDER BY first DESC LIMIT 1)
      AND first <= s.last_leaf
) AS r
"""

# The common read of a proof once the upper subtrees are in memory: the
# lower ones of one group of RUN leaves (or two: the leaf's and the right
# edge's). Runs never cross a multiple of RUN, so every run holding them
# starts in the group: one range of the primary key, no lookup of the run
# before it (nor the arrays and lateral joins of _NODES, which cost the
# server more than the lookup). A run's hashes are out of line (TOAST):
# reading a slice costs a lookup and a read per 2 kB chunk of it, so the
# wanted places are read as up to SLICES narrow slices (the leaf's
# neighbours, then one per far sibling) rather than one wide one.
# Parameters: the group's first leaf and last leaf wanted, then each
# slice's first place and length in hashes.
SLICES = 4
_SLICE = """substring(hashes
           FROM (1 + 32 * greatest(${at}::int8 - hash_base, 0))::int
           FOR greatest(32 * (${at}::int8 + ${n}::int8
                              - greatest(${at}::int8, hash_base)), 0)::int)"""
_GROUP = (
    "SELECT {group}, hash_base, "
    + ", ".join(_SLICE.replace("${at}", f"${3 + 2 * i}")
                .replace("${n}", f"${4 + 2 * i}") for i in range(SLICES))
    + " FROM ledger_entry_run WHERE first >= $1::int8 AND first <= $2::int8"
)
_GROUP_WIDTH = 2 + 2 * SLICES  # parameters per group

# Upper subtrees not held in memory (a handle's first proofs, or ones at
# sizes other processes have just reached), looked up by key in the same
# statement, as rows (-1 - level, index, hash).
_UPPER_PART = (
    "SELECT (-1 - u.level)::int, u.idx, n.hash"
    + ", NULL::bytea" * (SLICES - 1)
    + " FROM unnest($1::int8[], $2::int8[]) AS u (level, idx)"
    " CROSS JOIN LATERAL (SELECT hash FROM ledger_node"
    " WHERE level = u.level AND idx = u.idx) AS n"
)


def _shifted(query: str, by: int) -> str:
    return re.sub(r"\$(\d+)", lambda found: f"${int(found[1]) + by}", query)


def _reads(upper: bool, groups: int) -> str:
    """The statement reading upper subtrees by key (if ``upper``) and the
    lower ones of ``groups`` groups."""
    parts = [_UPPER_PART] if upper else []
    for group in range(groups):
        parts.append(_shifted(_GROUP.format(group=group),
                              2 * upper + group * _GROUP_WIDTH))
    return "\nUNION ALL\n".join(parts)


_MOST_GROUPS = 2
_READS = {(upper, groups): b"steward_ledger_read_%d_%d" % (upper, groups)
          for upper in (False, True) for groups in range(_MOST_GROUPS + 1)
          if upper or groups}

# A single append that completes no upper subtree (255 in 256 of them): the
# same, without arrays.
_APPEND_ONE = """
WITH grown AS (
    UPDATE ledger_meta SET size = $1::int8 WHERE size = $2::int8
    RETURNING size
)
INSERT INTO ledger_entry_run (first, count, hash_base, hashes, data)
SELECT $3::int8, $4::int8, $5::int8, $6::bytea, $7::bytea FROM grown
"""

# The hot statements (proofs' reads, single appends) go to libpq directly,
# prepared once per connection, with parameters and results in binary:
# psycopg's adaptation costs several times the server's work for them.
_PREPARED = {b"steward_ledger_nodes": _NODES,
             b"steward_ledger_append_one": _APPEND_ONE,
             **{name: _reads(*shape) for shape, name in _READS.items()}}
_QUERIES = {b"steward_ledger_nodes", *_READS.values()}
_BINARY = [1] * 7

# The upper subtrees completed by a range of leaves, a row per level with
# its hashes back to back in index order.
_UPPER_LEVELS = """
SELECT l.level, (
    SELECT string_agg(hash, ''::bytea ORDER BY idx) FROM ledger_node
    WHERE level = l.level AND idx >= (%(start)s::int8 >> l.level)
      AND idx < (%(stop)s::int8 >> l.level)
)
FROM generate_series(%(floor)s::int, %(top)s::int) AS l (level)
"""

# A short append in one statement: grow the size only if it is still the
# one the runs were cut for (under the row lock, so concurrent writers take
# turns), and insert the runs only if it grew. No row inserted: stale.
_APPEND = """
WITH grown AS (
    UPDATE ledger_meta SET size = %s WHERE size = %s RETURNING size
), runs AS (
    INSERT INTO ledger_entry_run (first, count, hash_base, hashes, data)
    SELECT r.* FROM grown,
        unnest(%s::int8[], %s::int8[], %s::int8[], %s::bytea[], %s::bytea[])
        AS r (first, count, hash_base, hashes, data)
    RETURNING 1
), upper AS (
    INSERT INTO ledger_node (level, idx, hash)
    SELECT n.* FROM grown,
        unnest(%s::int8[], %s::int8[], %s::bytea[]) AS n (level, idx, hash)
)
SELECT count(*) FROM runs
"""

# An arbitrary constant: the advisory lock that serialises table creation.
_SCHEMA_LOCK = 0x1ED6E5


class PostgresStore:
    def __init__(self, url: str, origin: str, schema: str | None) -> None:
        try:
            # Autocommit: a single statement is its own transaction, so a
            # single append is one round trip; longer work opens one.
            self._db = psycopg.connect(url, autocommit=True)
            # psycopg's own prepared statements off: it deallocates every
            # prepared statement on the connection (ours too) after any
            # rollback, and ours cover the statements that run often.
            self._db.prepare_threshold = None
            self._prepared: set[bytes] = set()
            with self._db.transaction():
                self._db.execute("SET synchronous_commit = on")
                # This connection runs a few fixed statements, prepared:
                # planning each execution afresh (PostgreSQL's choice for
                # statements over arrays) costs more than running it.
                self._db.execute("SET plan_cache_mode = force_generic_plan")
                self._db.execute("SELECT pg_advisory_xact_lock(%s)",
                                 (_SCHEMA_LOCK,))
                if schema is not None:
                    name = sql.Identifier(schema)
                    self._db.execute(sql.SQL(
                        "CREATE SCHEMA IF NOT EXISTS {}").format(name))
                    self._db.execute(sql.SQL(
                        "SET search_path TO {}").format(name))
                for statement in table_statements("postgresql"):
                    self._db.execute(statement)
                _prefer_lz4(self._db)
                claim_origin(self._db.execute, origin, "%s")
                self.origin = origin
        except psycopg.Error as exc:
            raise StorageError(f"cannot open the log: {exc}") from exc

    def size(self) -> int:
        row = self._db.execute("SELECT size FROM ledger_meta").fetchone()
        assert row is not None
        return int(row[0])

    def append(
        self, start: int, entries: Sequence[bytes], hashes: Sequence[bytes]
    ) -> None:
        stop = start + len(entries)
        if len(entries) == 1 and stop % RUN:
            # A single append that completes no upper subtree (most of
            # them): its run of one, without make_runs().
            entry = entries[0]
            self._append_run(stop, (
                start, 1, hash_position(start), b"".join(hashes),
                len(entry).to_bytes(2, "big") + entry))
            return
        runs = [run.as_row() for run in make_runs(start, entries, hashes)]
        upper = upper_nodes(start, stop, hashes)
        if len(runs) == 1 and not upper:
            self._append_run(stop, runs[0])
            return
        if len(runs) < _COPY_FROM:
            row = self._db.execute(_APPEND, (
                stop, start, *_columns(runs, 5), *_columns(upper, 3),
            )).fetchone()
            if row is None or row[0] != len(runs):
                raise StaleSize
            return
        with self._db.transaction(), self._db.cursor() as cur:
            cur.execute("SELECT size FROM ledger_meta FOR UPDATE")
            row = cur.fetchone()
            if row is None or row[0] != start:
                raise StaleSize
            with cur.copy("COPY ledger_entry_run (first, count, hash_base, "
                          "hashes, data) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "int8", "bytea", "bytea"])
                for run in runs:
                    copy.write_row(run)
            cur.executemany("INSERT INTO ledger_node (level, idx, hash) "
                            "VALUES (%s, %s, %s)", upper)
            cur.execute("UPDATE ledger_meta SET size = %s", (stop,))

    def _append_run(self, stop: int,
                    run: tuple[int, int, int, bytes, bytes]) -> None:
        """One run and the new size, by ``_APPEND_ONE``: one round trip."""
        first, count, base, hashes, data = run
        result = self._execute(b"steward_ledger_append_one", [
            _int8(stop), _int8(stop - count), _int8(first), _int8(count),
            _int8(base), hashes, data], _BINARY)
        if result.command_tuples != 1:
            raise StaleSize

    def nodes(self, keys: Collection[NodeKey]) -> dict[NodeKey, bytes]:
        upper: list[NodeKey] = []
        lower: dict[int, NodeKey] = {}  # by place in the hash sequence
        groups: dict[int, list[int]] = {}  # leaves and places, by group
        for key in keys:
            level, index = key
            if level >= UPPER:
                upper.append(key)
                continue
            leaf = ((index + 1) << level) - 1  # node_position(), inline
            place = 2 * leaf - leaf.bit_count() + level
            lower[place] = key
            groups.setdefault(leaf // RUN, []).extend((leaf, place))
        if not keys:
            return {}
        if len(groups) <= _MOST_GROUPS:
            found = self._read(upper, lower, groups)
            if len(found) == len(upper) + len(lower):
                return found
        return self._anywhere(upper, lower, groups)

    def _read(self, upper: list[NodeKey], lower: dict[int, NodeKey],
              groups: dict[int, list[int]]) -> dict[NodeKey, bytes]:
        """Subtrees by one of ``_READS``: upper ones by key, lower ones
        from at most _MOST_GROUPS groups of RUN leaves, each given as
        ``[leaf, place, leaf, place, ...]``."""
        params: list[bytes] = []
        formats: list[int] = []
        if upper:
            params += [_int8_array([level for level, _ in upper]),
                       _int8_array([index for _, index in upper])]
            formats += [0, 0]
        slices: list[list[tuple[int, int]]] = []
        for group, pairs in groups.items():
            cut = _slices(sorted(pairs[1::2]), SLICES)
            slices.append(cut)
            params += [_int8(group * RUN), _int8(max(pairs[::2]))]
            for first, count in cut:
                params += [_int8(first), _int8(count)]
        formats += [1] * (len(params) - len(formats))
        result = self._execute(_READS[bool(upper), len(groups)], params,
                               formats)
        cell = result.get_value
        found = {}
        for row in range(result.ntuples):
            group = _from_int4(cell(row, 0))
            if group < 0:  # an upper subtree: -1 - level, index, hash
                found[(-1 - group, _from_int8(cell(row, 1)))] = (
                    cell(row, 2) or b"")
                continue
            base = _from_int8(cell(row, 1))
            for column, (first, _) in enumerate(slices[group], 2):
                hashes = cell(row, column)
                if hashes:
                    start = max(first, base)
                    stop = start + len(hashes) // HASH_SIZE
                    for place, key in lower.items():
                        if start <= place < stop:
                            at = (place - start) * HASH_SIZE
                            found[key] = hashes[at:at + HASH_SIZE]
        return found

    def _anywhere(self, upper: list[NodeKey], lower: dict[int, NodeKey],
                  groups: dict[int, list[int]]) -> dict[NodeKey, bytes]:
        """Any subtrees, however the runs were cut, by ``_NODES``."""
        columns: list[list[int]] = [[], [], [], []]
        for pairs in groups.values():
            leaves, places = pairs[::2], pairs[1::2]
            for column, value in zip(columns, (
                min(leaves), max(leaves), min(places), max(places) + 1
            ), strict=True):
                column.append(value)
        result = self._execute(b"steward_ledger_nodes", [
            _int8_array(column) for column in (
                [level for level, _ in upper], [index for _, index in upper],
                *columns)
        ])
        found = {}
        slices: list[tuple[int, bytes]] = []
        cell = result.get_value
        for row in range(result.ntuples):
            at = _from_int8(cell(row, 0))
            index = _from_int8(cell(row, 1))
            digest = cell(row, 2) or b""
            if at < 0:
                slices.append((index, digest))
            elif len(digest) == HASH_SIZE:
                found[(at, index)] = digest
        for place, key in lower.items():
            for first, hashes in slices:
                offset = (place - first) * HASH_SIZE
                if 0 <= offset and offset + HASH_SIZE <= len(hashes):
                    found[key] = hashes[offset:offset + HASH_SIZE]
                    break
        return found

    def upper_levels(self, start: int, stop: int,
                     floor: int) -> dict[int, bytes]:
        rows = self._db.execute(_UPPER_LEVELS, {
            "start": start, "stop": stop, "floor": max(floor, UPPER),
            "top": stop.bit_length() - 1}, binary=True).fetchall()
        return {level: bytes(hashes) for level, hashes in rows
                if hashes is not None}

    def _execute(self, name: bytes, params: Sequence[bytes],
                 formats: Sequence[int] | None = None) -> pq.abc.PGresult:
        """Run one of ``_PREPARED`` on libpq, preparing it first if this
        connection has not yet; results come back in binary. ``formats``:
        of the parameters (1 binary, 0 text), all text if not given."""
        connection = self._db.pgconn
        if name not in self._prepared:
            self._check(connection.prepare(name, _PREPARED[name].encode()),
                        pq.ExecStatus.COMMAND_OK)
            self._prepared.add(name)
        # A query returns rows; the single append returns none.
        expected = (pq.ExecStatus.TUPLES_OK if name in _QUERIES
                    else pq.ExecStatus.COMMAND_OK)
        result = connection.exec_prepared(name, params, formats, 1)
        if (result.status != expected
                and result.error_field(pq.DiagnosticField.SQLSTATE)
                == b"26000"
                and connection.transaction_status
                == pq.TransactionStatus.IDLE):
            # Deallocated behind our back (a DISCARD ALL, say): again.
            self._prepared.discard(name)
            self._check(connection.prepare(name, _PREPARED[name].encode()),
                        pq.ExecStatus.COMMAND_OK)
            self._prepared.add(name)
            result = connection.exec_prepared(name, params, formats, 1)
        return self._check(result, expected)

    @staticmethod
    def _check(result: pq.abc.PGresult, status: pq.ExecStatus
               ) -> pq.abc.PGresult:
        if result.status != status:
            message = (result.error_message or b"").decode(errors="replace")
            raise StorageError(f"the log's database failed: {message}")
        return result

    def entries(self, start: int, stop: int) -> Iterator[tuple[bytes, bytes]]:
        # A named (server-side) cursor streams without loading every row.
        with self._db.transaction(), self._db.cursor(
            name="ledger_entries"
        ) as cur:
            cur.itersize = 200
            cur.execute(
                "SELECT first, count, hash_base, hashes, data "
                "FROM ledger_entry_run WHERE first >= coalesce(("
                "SELECT max(first) FROM ledger_entry_run WHERE first <= %s),"
                " 0) AND first < %s ORDER BY first", (start, stop))
            for first, count, base, hashes, data in cur:
                yield from unpack(first, count, bytes(data), base,
                                  bytes(hashes), start, stop)

    def save_checkpoint(self, size: int, note: str) -> None:
        self._db.execute(
            "INSERT INTO ledger_checkpoint (size, note) VALUES (%s, %s) "
            "ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note",
            (size, note))

    def last_checkpoint(self) -> str | None:
        row = self._db.execute(
            "SELECT note FROM ledger_checkpoint ORDER BY size DESC LIMIT 1"
        ).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        self._db.close()


def _prefer_lz4(db: psycopg.Connection[tuple[object, ...]]) -> None:
    """Compress entries with lz4 rather than pglz where the server can:
    the same space for JSON events, and batches go in about half again as
    fast because the server spends less time compressing."""
    row = db.execute(
        "SELECT attcompression FROM pg_attribute WHERE attrelid = "
        "'ledger_entry_run'::regclass AND attname = 'data'").fetchone()
    if row is None or row[0] == "l":
        return
    try:
        with db.transaction():
            db.execute("ALTER TABLE ledger_entry_run ALTER COLUMN data "
                       "SET COMPRESSION lz4")
    except psycopg.errors.FeatureNotSupported:
        pass  # a server built without lz4 keeps pglz


def _slices(places: list[int], most: int) -> list[tuple[int, int]]:
    """``most`` ranges ``(first, count)`` of the hash sequence that hold
    the sorted ``places``: cut where they lie furthest apart (unused
    ranges are empty)."""
    gaps = sorted(range(1, len(places)),
                  key=lambda at: places[at] - places[at - 1])
    cuts = [0, *sorted(gaps[max(0, len(gaps) - most + 1):]), len(places)]
    ranges = [(places[low], places[high - 1] + 1 - places[low])
              for low, high in pairwise(cuts)]
    return ranges + [(0, 0)] * (most - len(ranges))


def _from_int4(value: bytes | None) -> int:
    return int.from_bytes(value or b"", "big", signed=True)


def _int8(value: int) -> bytes:
    return value.to_bytes(8, "big", signed=True)


def _from_int8(value: bytes | None) -> int:
    return int.from_bytes(value or b"", "big", signed=True)


def _int8_array(values: Sequence[int]) -> bytes:
    """An int8[] parameter in text form (faster than psycopg's dumper)."""
    return ("{" + ",".join(map(str, values)) + "}").encode()


def _columns(rows: Sequence[Sequence[object]], width: int
             ) -> list[list[object]]:
    """Rows turned into ``width`` column lists, for ``unnest``."""
    return [[row[at] for row in rows] for at in range(width)]
