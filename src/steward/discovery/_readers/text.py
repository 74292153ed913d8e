"""Plain text and logs, in any common encoding."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from steward.discovery._readers._load import load_bytes
from steward.discovery._readers._segments import Budget, Source, TextSegment
from steward.discovery.report import Location

# Text is scanned in parts of about this many characters, cut at a line
# end, so that matches for one part are held at a time.
CHUNK_CHARS = 4 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(head: bytes) -> str:
    """The encoding named by a byte-order mark, else ``utf-8``.

    UTF-32 marks are tested first because the UTF-32 LE mark starts with
    the UTF-16 LE one.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return "utf-8"


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: a byte-order mark wins, then UTF-8,
    then Windows-1252 (the usual "ANSI" export), then Latin-1, which
    decodes any bytes."""
    encoding = detect_encoding(data[:4])
    candidates = (encoding,) if encoding != "utf-8" else (
        "utf-8", "cp1252", "latin-1")
    for name in candidates:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", "replace"), "latin-1"


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[str, int]]:
    """Parts of ``text`` cut after a newline, with each part's first line
    number."""
    start, line = 0, 1
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        part = text[start:end]
        yield part, line
        line += part.count("\n")
        start = end


def read_text(source: Source, budget: Budget) -> Iterator[TextSegment]:
    text, _ = decode(load_bytes(source, budget))
    where = Location(source.name)
    for part, line in chunks(text):
        budget.deadline.check()
        yield TextSegment(part, where, first_line=line)
