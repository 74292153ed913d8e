"""Run a benchmark once per database, each in its own process (Django
reads its settings once per process)."""

from __future__ import annotations

import subprocess


def run_on_each_database(command: list[str], skip_postgres: bool) -> None:
    """``command`` on SQLite, then with ``--database-url`` pointing at a
    throw-away PostgreSQL server unless ``skip_postgres``."""
    subprocess.run(command, check=True)
    if not skip_postgres:
        from tests.support import pgserver

        with pgserver.running() as url:
            subprocess.run(command + ["--database-url", url], check=True)
