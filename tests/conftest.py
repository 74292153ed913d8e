"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support import pgserver


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for tests that need one beside Django's own.

    ``make test`` starts one server for the whole run and names it in
    ``STEWARD_TEST_POSTGRES_URL``; otherwise a throw-away server is started
    for this session.
    """
    given = os.environ.get("STEWARD_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    with pgserver.running() as url:
        yield url


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """Two departments, the central team and the regulator."""
    from tests import world as world_module

    return world_module.build()
