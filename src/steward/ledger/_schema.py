"""The ledger's tables, written once for both SQLite and PostgreSQL.

See ``steward.ledger._storage`` for what each table holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from steward.ledger._errors import StorageError

_TABLES = """
CREATE TABLE IF NOT EXISTS ledger_meta (
    id {int} PRIMARY KEY CHECK (id = 1),
    origin text NOT NULL,
    size {int} NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_entry_run (
    first {int} PRIMARY KEY,
    count {int} NOT NULL,
    hash_base {int} NOT NULL,
    hashes {blob} NOT NULL,
    data {blob} NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_node (
    level {int} NOT NULL,
    idx {int} NOT NULL,
    hash {blob} NOT NULL,
    PRIMARY KEY (level, idx)
){clustered};
CREATE TABLE IF NOT EXISTS ledger_checkpoint (
    size {int} PRIMARY KEY,
    note text NOT NULL
)
"""

# SQLite: "INTEGER PRIMARY KEY" makes ``first`` the rowid (no second
# index), and WITHOUT ROWID stores ledger_node in its key's order.
_TYPES = {
    "sqlite": {"int": "INTEGER", "blob": "BLOB",
               "clustered": " WITHOUT ROWID"},
    "postgresql": {"int": "bigint", "blob": "bytea", "clustered": ""},
}


def table_statements(dialect: str) -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` statements for ``dialect``."""
    return _TABLES.format(**_TYPES[dialect]).split(";")


class _Cursor(Protocol):
    def fetchone(self) -> Any: ...


def claim_origin(execute: Callable[..., _Cursor], origin: str,
                 placeholder: str) -> None:
    """Record ``origin`` in a new database; raise ``StorageError`` if the
    database already holds another log. ``execute`` is the connection's,
    ``placeholder`` its parameter marker (``?`` or ``%s``)."""
    row = execute("SELECT origin FROM ledger_meta").fetchone()
    if row is None:
        execute("INSERT INTO ledger_meta (id, origin, size) "
                f"VALUES (1, {placeholder}, 0)", (origin,))
    elif row[0] != origin:
        raise StorageError(
            f"this database holds the log {row[0]!r}, not {origin!r}"
        )
