"""Parquet files, whole or a range of row groups."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from steward.discovery._errors import (
    CorruptError,
    UnreadableError,
    reason,
)
from steward.discovery._readers._segments import Budget, Source, TableSegment
from steward.discovery.report import Location


def as_text_columns(table: pa.Table) -> pa.Table:
    """Columns cast to strings; nested and binary ones become JSON-ish
    text through Python, the rest are cast by Arrow."""
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_string(kind):
            columns[name] = column
        elif pa.types.is_large_string(kind) or pa.types.is_dictionary(kind):
            columns[name] = pc.cast(column, pa.string())
        elif (pa.types.is_integer(kind) or pa.types.is_floating(kind)
              or pa.types.is_decimal(kind) or pa.types.is_temporal(kind)
              or pa.types.is_boolean(kind)):
            columns[name] = pc.cast(column, pa.string())
        else:
            columns[name] = pa.array(
                [None if v is None else str(v) for v in column.to_pylist()],
                pa.string())
    return pa.table(columns)


def open_parquet(source: Source) -> pq.ParquetFile:
    try:
        if source.data is not None:
            return pq.ParquetFile(io.BytesIO(source.data))
        assert source.path is not None
        return pq.ParquetFile(source.path)
    except OSError as error:
        raise UnreadableError(
            f"{source.name}: cannot be read ({reason(error)})",
            path=source.name) from error
    except (pa.ArrowInvalid, pa.ArrowException) as error:
        raise CorruptError(f"{source.name}: not a readable Parquet file "
                           f"({reason(error)})", path=source.name) from error


def read_parquet(source: Source, budget: Budget, groups: range | None = None,
                 ) -> Iterator[TableSegment]:
    handle = open_parquet(source)
    where = Location(source.name)
    if groups is None:
        groups = range(handle.metadata.num_row_groups)
    first_row = 1 + sum(
        handle.metadata.row_group(i).num_rows for i in range(groups.start))
    for group in groups:
        budget.deadline.check()
        try:
            table = handle.read_row_group(group)
        except (pa.ArrowInvalid, pa.ArrowException, OSError) as error:
            raise CorruptError(f"{source.name}: row group {group} is not "
                               f"readable ({reason(error)})",
                               path=source.name) from error
        yield TableSegment(as_text_columns(table), where, first_row)
        first_row += table.num_rows
