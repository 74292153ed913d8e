"""JSON documents and JSON Lines.

Every list of objects becomes a table (one column per leaf path such as
``address.postcode``) named by its place in the document; other values
become ``path: value`` lines of text, so the key still gives context.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from steward.discovery._errors import (
    CorruptError,
    reason,
)
from steward.discovery._readers._load import load_bytes, rows_to_table
from steward.discovery._readers._segments import (
    Budget,
    Source,
    TableSegment,
    TextSegment,
)
from steward.discovery._readers.text import decode
from steward.discovery.report import Location

# Nesting deeper than this is flattened to its JSON text.
MAX_FLATTEN_DEPTH = 8


def _flatten(value: Any, prefix: str, out: dict[str, Any],
             depth: int = 0) -> None:
    if isinstance(value, dict) and depth < MAX_FLATTEN_DEPTH:
        for key, inner in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            _flatten(inner, name, out, depth + 1)
    elif isinstance(value, list) and not all(
        isinstance(item, dict) for item in value
    ):
        out[prefix] = " ; ".join(
            json.dumps(item) if isinstance(item, (dict, list)) else str(item)
            for item in value
        )
    elif isinstance(value, (dict, list)):
        out[prefix] = json.dumps(value)
    else:
        out[prefix] = value


def _records_table(records: list[dict[str, Any]], where: Location,
                   ) -> TableSegment:
    flat: list[dict[str, Any]] = []
    for record in records:
        row: dict[str, Any] = {}
        _flatten(record, "", row)
        flat.append(row)
    names = list(dict.fromkeys(name for row in flat for name in row))
    rows = [[row.get(name) for name in names] for row in flat]
    return TableSegment(rows_to_table(names, rows), where)


def _walk(value: Any, path: str, name: str, lines: list[str],
          depth: int = 0) -> Iterator[TableSegment]:
    if isinstance(value, list) and value and all(
        isinstance(item, dict) for item in value
    ):
        yield _records_table(value, Location(name, sheet=path or "$"))
    elif isinstance(value, dict) and depth < MAX_FLATTEN_DEPTH:
        for key, inner in value.items():
            inner_path = f"{path}.{key}" if path else str(key)
            yield from _walk(inner, inner_path, name, lines, depth + 1)
    elif isinstance(value, list) and depth < MAX_FLATTEN_DEPTH:
        for index, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{index}]", name, lines,
                             depth + 1)
    elif value is not None:
        lines.append(f"{path}: {value}")


def read_json(source: Source, budget: Budget
              ) -> Iterator[TableSegment | TextSegment]:
    text, _ = decode(load_bytes(source, budget))
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise CorruptError(f"{source.name}: not valid JSON ({reason(error)})",
                           path=source.name) from error
    lines: list[str] = []
    yield from _walk(document, "", source.name, lines)
    if lines:
        yield TextSegment("\n".join(lines), Location(source.name))


def read_json_lines(source: Source, budget: Budget
                    ) -> Iterator[TableSegment | TextSegment]:
    text, _ = decode(load_bytes(source, budget))
    records: list[dict[str, Any]] = []
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as error:
            raise CorruptError(
                f"{source.name}: line {number} is not valid JSON "
                f"({reason(error)})",
                path=source.name) from error
        if isinstance(value, dict):
            records.append(value)
        else:
            lines.append(f"line {number}: {value}")
        if number % 10_000 == 0:
            budget.deadline.check()
    if records:
        yield _records_table(records, Location(source.name))
    if lines:
        yield TextSegment("\n".join(lines), Location(source.name))
