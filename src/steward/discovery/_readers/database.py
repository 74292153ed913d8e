"""Database tables through a SQLAlchemy URL (SQLite, PostgreSQL, ...).

Each table is read in batches over a server-side cursor where the driver
has one, so a large table is never held whole.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from steward.discovery._errors import (
    ScanConfigError,
    UnreadableError,
    reason,
)
from steward.discovery._limits import Deadline
from steward.discovery._readers._load import rows_to_table, unique_names
from steward.discovery._readers._segments import TableSegment
from steward.discovery.report import Location

BATCH_ROWS = 50_000


def looks_like_url(target: str) -> bool:
    """Whether ``target`` names a database rather than a path."""
    scheme = target.split("://", 1)[0] if "://" in target else ""
    return bool(scheme) and scheme.replace("+", "").isalnum()


def display_url(url: str) -> str:
    """The URL with any password hidden, as reports show it."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _with_installed_driver(url: str) -> str:
    """``postgresql://`` names psycopg2 by default; Steward ships psycopg
    3, so use it when psycopg2 is absent."""
    if url.startswith("postgresql://") and not importlib.util.find_spec(
        "psycopg2"
    ):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _engine(url: str) -> sa.Engine:
    try:
        return sa.create_engine(_with_installed_driver(url))
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise ScanConfigError(
            f"{display_url(url)}: not a usable database URL ({reason(error)})"
        ) from error


def table_names(url: str) -> list[str]:
    """The tables of the default schema, sorted."""
    engine = _engine(url)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    except SQLAlchemyError as error:
        raise UnreadableError(
            f"{display_url(url)}: cannot list tables ({reason(error)})",
            path=display_url(url),
        ) from error
    finally:
        engine.dispose()


def read_table(url: str, table: str,
               deadline: Deadline) -> Iterator[TableSegment]:
    engine = _engine(url)
    where = Location(display_url(url), sheet=table)
    try:
        with engine.connect() as connection:
            reflected = sa.Table(table, sa.MetaData(),
                                 autoload_with=connection)
            query = sa.select(reflected)
            primary = list(reflected.primary_key.columns)
            if primary:
                query = query.order_by(*primary)
            result = connection.execution_options(
                stream_results=True).execute(query)
            names = unique_names(list(result.keys()))
            first_row = 1
            while True:
                rows = result.fetchmany(BATCH_ROWS)
                if not rows:
                    break
                deadline.check()
                yield TableSegment(rows_to_table(names, rows), where,
                                   first_row)
                first_row += len(rows)
    except SQLAlchemyError as error:
        raise UnreadableError(
            f"{where.describe()}: cannot be read ({reason(error)})",
            path=where.path,
        ) from error
    finally:
        engine.dispose()
