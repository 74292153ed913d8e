"""ZIP archives, nested, with limits against zip bombs.

Before anything is expanded the central directory is checked: the total
declared size against ``Limits.max_expanded_bytes`` (shared by every level
of one top-level archive) and each member's compression ratio against
``Limits.max_ratio``. Members are then read with a byte cap, so a
directory that lies about sizes cannot get further. Nesting deeper than
``Limits.max_depth`` is refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator

from steward.discovery._errors import (
    CorruptError,
    ReadError,
    ZipBombError,
    reason,
)
from steward.discovery._readers._load import load_bytes
from steward.discovery._readers._segments import (
    Budget,
    Skipped,
    Source,
    TableSegment,
    TextSegment,
)
from steward.discovery.report import Problem

Item = TextSegment | TableSegment | Skipped | Problem
Dispatch = Callable[[Source, Budget], Iterator[Item]]


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError,
            OSError, EOFError, NotImplementedError) as error:
        raise CorruptError(
            f"{name}: not a readable ZIP archive ({reason(error)})",
            path=name) from error


def _check_directory(archive: zipfile.ZipFile, name: str,
                     budget: Budget) -> None:
    limits = budget.limits
    declared = 0
    for info in archive.infolist():
        declared += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise ZipBombError(
                f"{name}: refused as a likely zip bomb: member "
                f"{info.filename!r} would expand {ratio:,.0f} times (limit "
                f"{limits.max_ratio:g})", path=name)
    if budget.expanded + declared > limits.max_expanded_bytes:
        raise ZipBombError(
            f"{name}: refused as a likely zip bomb: it would expand to "
            f"{budget.expanded + declared:,} bytes (limit "
            f"{limits.max_expanded_bytes:,})", path=name)


def check_package(data: bytes, name: str, budget: Budget) -> None:
    """Apply the archive limits to an Office package before it opens."""
    _check_directory(_open(data, name), name, budget)


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                  name: str, budget: Budget) -> bytes:
    room = budget.limits.max_expanded_bytes - budget.expanded
    try:
        with archive.open(info) as handle:
            content = handle.read(min(room, info.file_size) + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, ValueError) as error:
        raise CorruptError(f"{name}: cannot be expanded ({reason(error)})",
                           path=name) from error
    if len(content) > min(room, info.file_size):
        raise ZipBombError(f"{name}: refused as a likely zip bomb: it "
                           "expands past its declared size or the limit",
                           path=name)
    budget.expanded += len(content)
    return content


def read_zip(source: Source, budget: Budget,
             dispatch: Dispatch) -> Iterator[Item]:
    if source.depth >= budget.limits.max_depth:
        raise ZipBombError(
            f"{source.name}: refused as a likely zip bomb: archives nested "
            f"more than {budget.limits.max_depth} deep", path=source.name)
    archive = _open(load_bytes(source, budget), source.name)
    _check_directory(archive, source.name, budget)
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = f"{source.name}!{info.filename}"
        if info.flag_bits & 0x1:
            yield Problem(name, "encrypted",
                          f"{name}: the member is password-protected")
            continue
        budget.deadline.check()
        try:
            content = _member_bytes(archive, info, name, budget)
            child = Source(name, data=content, depth=source.depth + 1)
            yield from dispatch(child, budget)
        except ZipBombError:
            raise
        except ReadError as error:
            yield Problem(name, error.kind, error.message)
