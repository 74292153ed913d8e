"""CSV and TSV, whole or as a byte range of a large file.

pyarrow's CSV reader parses; every column is read as text so that
identifiers keep their leading zeros. The encoding follows a byte-order
mark, else UTF-8 if the bytes are valid UTF-8, else Windows-1252, else
Latin-1.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from steward.discovery._errors import (
    CorruptError,
    UnreadableError,
    reason,
)
from steward.discovery._readers._load import load_bytes, unique_names
from steward.discovery._readers._segments import Budget, Source, TableSegment
from steward.discovery._readers.text import detect_encoding
from steward.discovery.report import Location

ROWS_PER_SEGMENT = 200_000
_BLANK = re.compile(rb"\s*")
# A header line longer than this is not a header of a table worth reading.
MAX_HEADER_BYTES = 1024 * 1024


def sniff_encoding(sample: bytes) -> str:
    """The encoding to read with (see the module docstring)."""
    named = detect_encoding(sample[:4])
    if named != "utf-8":
        return named
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine.
        if error.start < len(sample) - 3:
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return "latin-1"
            return "cp1252"
    return "utf-8"


def _strip_bom(data: bytes, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return data[3:]
    return data


def header_names(first_line: str, delimiter: str) -> list[str]:
    try:
        rows = list(csv.reader([first_line], delimiter=delimiter))
    except csv.Error:
        # A stray carriage return or NUL: split plainly rather than fail.
        rows = [first_line.split(delimiter)]
    return unique_names(rows[0] if rows else [])


def _first_line(data: bytes, encoding: str) -> tuple[str, int]:
    """The header line as text and the byte offset just after it."""
    if encoding.startswith(("utf-16", "utf-32")):
        text = data.decode(encoding)
        line = text.split("\n", 1)[0]
        return line.rstrip("\r"), -1
    body = _strip_bom(data, encoding)
    offset = len(data) - len(body)
    end = body.find(b"\n", 0, MAX_HEADER_BYTES)
    if end == -1:
        end = len(body)
    line = body[:end].decode(
        "utf-8" if encoding == "utf-8-sig" else encoding, "replace")
    return line.rstrip("\r"), offset + end + 1


def parse(body: bytes | memoryview, names: list[str], delimiter: str,
          encoding: str, where: Location, first_row: int
          ) -> Iterator[TableSegment]:
    """Parse rows (no header) of ``body`` into table segments."""
    if not names or _BLANK.fullmatch(body):
        return
    read = pacsv.ReadOptions(
        column_names=names,
        encoding="utf-8" if encoding == "utf-8-sig" else encoding,
        use_threads=False,
        block_size=16 * 1024 * 1024,
    )
    parse_options = pacsv.ParseOptions(
        delimiter=delimiter,
        newlines_in_values=True,
        invalid_row_handler=lambda row: "skip",
    )
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        quoted_strings_can_be_null=False,
    )
    try:
        table = pacsv.read_csv(pa.BufferReader(pa.py_buffer(body)),
                               read_options=read,
                               parse_options=parse_options,
                               convert_options=convert)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError,
            UnicodeError) as error:
        raise CorruptError(f"{where.path}: not readable as delimited text "
                           f"({reason(error)})", path=where.path) from error
    for offset in range(0, table.num_rows, ROWS_PER_SEGMENT):
        yield TableSegment(table.slice(offset, ROWS_PER_SEGMENT), where,
                           first_row=first_row + offset)


def read_delimited(source: Source, budget: Budget,
                   delimiter: str) -> Iterator[TableSegment]:
    """A whole CSV or TSV file (or archive member)."""
    data = load_bytes(source, budget)
    encoding = sniff_encoding(data[:65536])
    where = Location(source.name)
    first_line, after = _first_line(data, encoding)
    names = header_names(first_line, delimiter)
    body: bytes | memoryview
    if after == -1:
        # UTF-16 and UTF-32 are transcoded once; their text is small
        # enough, being held whole already.
        text = data.decode(encoding)
        body = text.split("\n", 1)[1].encode() if "\n" in text else b""
        encoding = "utf-8"
    else:
        body = memoryview(data)[after:]  # no copy of a large file
    yield from parse(body, names, delimiter, encoding, where, first_row=1)


def read_range(path: str, delimiter: str, start: int, stop: int,
               first_row: int, budget: Budget) -> Iterator[TableSegment]:
    """Rows of a large single-byte-newline file between two offsets that
    the planner put just after newlines."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(MAX_HEADER_BYTES)
            encoding = sniff_encoding(head[:65536])
            first_line, after = _first_line(head, encoding)
            handle.seek(max(start, after))
            body = handle.read(stop - max(start, after))
    except OSError as error:
        raise UnreadableError(f"{path}: cannot be read ({error.strerror})",
                              path=path) from error
    names = header_names(first_line, delimiter)
    budget.deadline.check()
    yield from parse(body, names, delimiter, encoding, Location(path),
                     first_row=first_row)
