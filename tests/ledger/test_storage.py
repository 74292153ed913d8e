"""Durable storage on SQLite and PostgreSQL serves the RFC's proofs."""

from __future__ import annotations

import pytest

from steward.ledger import Log, StorageError, merkle
from steward.ledger.log import MAX_ENTRY_BYTES
from tests.ledger import rfc6962
from tests.ledger.conftest import ORIGIN


def entries(count: int, start: int = 0) -> list[bytes]:
    return [b"entry %d" % i for i in range(start, start + count)]


def test_empty_log(open_log):
    """A new log is empty and has the empty tree's root."""
    log = open_log()
    assert log.size == 0
    assert log.root() == merkle.root([])
    assert log.origin == ORIGIN


def test_appends_keep_the_root_current(open_log):
    """Single and batched appends give the reference root at every size."""
    log = open_log()
    data = entries(45)
    assert log.append_many(data[:20]) == range(0, 20)
    for i, entry in enumerate(data[20:], start=20):
        assert log.append(entry) == i
        assert log.root() == rfc6962.mth(data[:i + 1])
    assert log.size == 45
    assert list(log.entries()) == data
    assert log.entry(7) == data[7]


def test_proofs_from_storage_match_the_reference(open_log):
    """Every proof read from storage equals RFC 6962's, at every size."""
    log = open_log()
    data = entries(21)
    log.append_many(data)
    for size in range(1, 22):
        assert log.root_at(size) == rfc6962.mth(data[:size])
        for index in range(size):
            assert log.inclusion_proof(index, size) == rfc6962.path(
                index, data[:size])
        for old in range(1, size + 1):
            assert log.consistency_proof(old, size) == rfc6962.proof(
                old, data[:size])


def test_reopening_finds_the_same_log(open_log):
    """A second handle sees every entry and the same root."""
    log = open_log()
    log.append_many(entries(10))
    log.append(b"last")
    again = open_log()
    assert again.size == 11
    assert again.root() == log.root()


def test_two_writers_take_turns(open_log):
    """Handles that append in turn never lose or reorder an entry."""
    first, second = open_log(), open_log()
    first.append_many(entries(3))
    assert second.append(b"from second") == 3  # it catches up first
    assert first.append(b"from first") == 4
    second.refresh()
    data = entries(3) + [b"from second", b"from first"]
    assert list(first.entries()) == data
    assert first.root() == second.root() == rfc6962.mth(data)


def test_other_origin_is_refused(open_log):
    """A database holds one log; another origin cannot open it."""
    open_log().append(b"x")
    with pytest.raises(StorageError, match="holds the log"):
        open_log("another.example/v1")


def test_oversized_entry_is_refused(open_log):
    """An entry over 65,535 bytes is refused and nothing is written."""
    log = open_log()
    with pytest.raises(Exception, match="at most"):
        log.append_many([b"ok", b"x" * (MAX_ENTRY_BYTES + 1)])
    assert log.size == 0


def test_proof_arguments_are_checked(open_log):
    """Proofs outside the log raise instead of returning nonsense."""
    log = open_log()
    log.append_many(entries(4))
    with pytest.raises(IndexError):
        log.inclusion_proof(4)
    with pytest.raises(ValueError):
        log.consistency_proof(0)
    with pytest.raises(ValueError):
        log.root_at(5)


def test_bad_location_is_refused(tmp_path):
    """Only SQLite paths and postgresql:// URLs open a log."""
    with pytest.raises(StorageError, match="postgresql://"):
        Log.open("mysql://host/db", origin=ORIGIN)
    with pytest.raises(StorageError, match="PostgreSQL only"):
        Log.open(tmp_path / "x.db", origin=ORIGIN, schema="s")


def test_sqlite_url_form(tmp_path):
    """``sqlite:///path``, as in DATABASE_URL, opens the same file."""
    path = tmp_path / "db.sqlite3"
    with Log.open(path, origin=ORIGIN) as log:
        log.append(b"a")
    with Log.open(f"sqlite:///{path}", origin=ORIGIN) as log:
        assert log.size == 1


def test_batches_longer_than_a_run(open_log):
    """Batches cut into several stored runs still serve exact proofs."""
    log = open_log()
    data = entries(1100)
    log.append_many(data[:3])
    log.append_many(data[3:1000])  # four runs: by COPY on PostgreSQL
    log.append(data[1000])
    log.append_many(data[1001:])  # three runs: in one statement
    assert list(log.entries(250, 520)) == data[250:520]
    assert log.root() == merkle.root(data)
    for size in (256, 257, 1000, 1001, 1024, 1100):
        head = log.root_at(size)
        assert head == merkle.root(data[:size])
        for index in sorted({0, 255, 256, size - 1} & set(range(size))):
            assert merkle.verify_inclusion(
                merkle.leaf_hash(data[index]), index, size,
                log.inclusion_proof(index, size), head)
        assert merkle.verify_consistency(
            3, size, log.root_at(3), head, log.consistency_proof(3, size))


def test_reads_and_single_appends_survive_rollbacks(open_log):
    """Reading one entry ends its transaction early (a rollback); proofs
    and single appends go on working after it, and after prepared
    statements are dropped from the connection."""
    log = open_log()
    data = entries(300)
    log.append_many(data[:299])
    for round_ in range(3):
        assert log.entry(5) == data[5]
        assert merkle.verify_inclusion(
            merkle.leaf_hash(data[7]), 7, log.size,
            log.inclusion_proof(7), log.root())
        if round_ == 1 and hasattr(log._store, "_prepared"):
            log._store._db.execute("DEALLOCATE ALL")
    log.append(data[299])
    assert log.root() == merkle.root(data)
    assert open_log().root() == merkle.root(data)


def test_commits_are_durable(open_log):
    """Every commit waits for the disk: SQLite in WAL mode with
    synchronous=FULL (the log file synced at each commit), PostgreSQL with
    synchronous_commit on for this connection whatever the server's
    default. The crash tests kill the process, which the page cache
    survives; this is what makes an acknowledged append survive power
    loss too."""
    log = open_log()
    log.append(b"x")
    db = log._store._db
    if hasattr(log._store, "_prepared"):
        assert db.execute("SHOW synchronous_commit").fetchone()[0] == "on"
    else:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_short_appends_are_one_prepared_statement(open_log):
    """On PostgreSQL a single append, and a short batch that fits one run
    and completes no upper subtree (a group commit's), is one prepared
    statement: one round trip, no statement text to parse."""
    log = open_log()
    if not hasattr(log._store, "_prepared"):
        pytest.skip("PostgreSQL only")
    log.append_many(entries(10))
    store = log._store
    sent = []
    execute = store._execute
    store._execute = lambda name, *rest: sent.append(name) or execute(
        name, *rest)

    def refuse(*args, **kwargs):
        raise AssertionError("an append went through psycopg's execute")

    store._db.execute = refuse
    log.append(b"one")
    log.append_many([b"two", b"three", b"four"])
    assert sent == [b"steward_ledger_append_one"] * 2
    del store._db.execute
    assert list(log.entries(10)) == [b"one", b"two", b"three", b"four"]
