"""Readers, one module per format, chosen by name and checked by magic.

``read(source, budget)`` yields text and table segments, ``Skipped`` for a
binary of no supported kind and ``Problem`` for archive members that
failed; it raises ``ReadError`` when the source itself cannot be read.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator

from steward.discovery._readers._segments import (
    Budget,
    Skipped,
    Source,
    TableSegment,
    TextSegment,
)
from steward.discovery._readers.archive import Item, read_zip
from steward.discovery._readers.delimited import read_delimited
from steward.discovery._readers.jsonfile import read_json, read_json_lines
from steward.discovery._readers.office import OLE_MAGIC, read_docx, read_xlsx
from steward.discovery._readers.parquet import read_parquet
from steward.discovery._readers.pdf import read_pdf
from steward.discovery._readers.text import read_text

__all__ = [
    "Budget",
    "Item",
    "Skipped",
    "Source",
    "TableSegment",
    "TextSegment",
    "format_of",
    "read",
]

Reader = Callable[[Source, Budget], Iterator[Item]]

_BY_SUFFIX: dict[str, str] = {
    ".txt": "text", ".log": "text", ".md": "text", ".text": "text",
    ".xml": "text", ".html": "text", ".htm": "text", ".eml": "text",
    ".sql": "text", ".yaml": "text", ".yml": "text", ".ini": "text",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx",
    ".pdf": "pdf", ".zip": "zip",
}

_TEXT_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PAR1", "parquet"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
)


def format_of(name: str, head: bytes) -> str:
    """The format to read with: by suffix, else by magic bytes, else
    ``text`` unless the start holds NUL bytes (``binary``)."""
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    by_name = _BY_SUFFIX.get(suffix)
    if by_name:
        return by_name
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_TEXT_BOMS):
        return "text"
    if head.startswith(OLE_MAGIC) or b"\x00" in head:
        return "binary"
    return "text"


def _head(source: Source) -> bytes:
    if source.data is not None:
        return source.data[:4096]
    assert source.path is not None
    try:
        with source.path.open("rb") as handle:
            return handle.read(4096)
    except OSError:
        # The reader reports the error with its own message.
        return b""


def read(source: Source, budget: Budget) -> Iterator[Item]:
    """Every segment of ``source``; see the module docstring."""
    kind = format_of(source.name, _head(source))
    readers: dict[str, Reader] = {
        "text": read_text,
        "csv": lambda s, b: read_delimited(s, b, ","),
        "tsv": lambda s, b: read_delimited(s, b, "\t"),
        "json": read_json,
        "jsonl": read_json_lines,
        "parquet": read_parquet,
        "xlsx": read_xlsx,
        "docx": read_docx,
        "pdf": read_pdf,
        "zip": lambda s, b: read_zip(s, b, read),
    }
    reader = readers.get(kind)
    if reader is None:
        yield Skipped(source.name)
        return
    yield from reader(source, budget)
