"""Reading a source's bytes, and the cell values of tables, safely."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Sequence

import pyarrow as pa  # type: ignore[import-untyped]

from steward.discovery._errors import FileTooLargeError, UnreadableError
from steward.discovery._readers._segments import Budget, Source


def load_bytes(source: Source, budget: Budget) -> bytes:
    """The whole content of ``source``, refused past ``max_file_bytes``."""
    limit = budget.limits.max_file_bytes
    if source.data is not None:
        data = source.data
    else:
        assert source.path is not None
        try:
            with source.path.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableError(
                f"{source.name}: cannot be read ({error.strerror})",
                path=source.name,
            ) from error
    if len(data) > limit:
        raise FileTooLargeError(
            f"{source.name}: larger than the {limit:,}-byte limit for a "
            "file read whole; raise Limits(max_file_bytes=...) to scan it",
            path=source.name,
        )
    return data


def cell_text(value: object) -> str | None:
    """A cell as text; ``None`` for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store identifiers typed as numbers as floats.
        return str(int(value))
    if isinstance(value, datetime.datetime) and not (
        value.hour or value.minute or value.second
    ):
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def unique_names(names: Sequence[object]) -> list[str]:
    """Column names made non-empty and unique."""
    out: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(names, start=1):
        name = (cell_text(raw) or "").strip() or f"column {index}"
        candidate, n = name, 2
        while candidate in seen:
            candidate, n = f"{name} ({n})", n + 1
        seen.add(candidate)
        out.append(candidate)
    return out


def rows_to_table(
    names: Sequence[str], rows: Iterable[Sequence[object]]
) -> pa.Table:
    """A table of string columns; short rows are padded, long ones cut."""
    columns: list[list[str | None]] = [[] for _ in names]
    width = len(names)
    for row in rows:
        for index in range(width):
            value = row[index] if index < len(row) else None
            columns[index].append(cell_text(value))
    return pa.table(
        {name: pa.array(column, pa.string())
         for name, column in zip(names, columns, strict=True)}
    )
