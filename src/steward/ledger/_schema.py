"""The ledger's tables, written once for both SQLite and PostgreSQL.

See ``steward.ledger._storage`` for what each table holds.
"""

from __future__ import annotations

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


def origin_is_new(stored: str | None, origin: str) -> bool:
    """Whether ``origin`` must be recorded; raise if the database already
    holds another log."""
    if stored is not None and stored != origin:
        raise StorageError(
            f"this database holds the log {stored!r}, not {origin!r}"
        )
    return stored is None
