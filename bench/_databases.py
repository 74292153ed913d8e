"""Run a benchmark once per database, each in its own process (Django
reads its settings once per process)."""

from __future__ import annotations

import argparse
import subprocess


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--skip-postgres``, and the child's own ``--child`` and
    ``--database-url`` (hidden)."""
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default=None, help=argparse.SUPPRESS)


def run_on_each_database(command: list[str], skip_postgres: bool) -> None:
    """``command`` on SQLite, then with ``--database-url`` pointing at a
    throw-away PostgreSQL server unless ``skip_postgres``."""
    subprocess.run(command, check=True)
    if not skip_postgres:
        from tests.support import pgserver

        with pgserver.running() as url:
            subprocess.run(command + ["--database-url", url], check=True)
