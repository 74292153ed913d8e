"""Fixtures for the ledger's tests: logs on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from steward.ledger import Log, NoteSigner

ORIGIN = "ledger.test.example/v1"

OpenLog = Callable[..., Log]


@pytest.fixture(params=["sqlite", "postgres"])
def open_log(request, tmp_path) -> Iterator[OpenLog]:
    """Opens (and reopens) one fresh log, on each backend in turn.

    PostgreSQL logs each get a schema of their own on the session server.
    """
    if request.param == "sqlite":
        location, schema = str(tmp_path / "ledger.sqlite3"), None
    else:
        location = request.getfixturevalue("postgres_url")
        schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    opened: list[Log] = []

    def opener(origin: str = ORIGIN) -> Log:
        log = Log.open(location, origin=origin, schema=schema)
        opened.append(log)
        return log

    yield opener
    for log in opened:
        log.close()


@pytest.fixture(scope="session")
def log_key() -> NoteSigner:
    return NoteSigner.generate("ledger.test.example")


@pytest.fixture(scope="session")
def witness_key() -> NoteSigner:
    return NoteSigner.generate("witness.test.example")
