"""Office Open XML: Excel workbooks (.xlsx) and Word documents (.docx).

Both are ZIP packages, so the archive limits are checked before a library
opens them. An encrypted Office file is not a ZIP at all but an OLE
compound file holding the encrypted package.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
import openpyxl  # type: ignore[import-untyped]

from steward.discovery._errors import (
    CorruptError,
    EncryptedError,
    ReadError,
    reason,
)
from steward.discovery._readers._load import (
    load_bytes,
    rows_to_table,
    unique_names,
)
from steward.discovery._readers._segments import (
    Budget,
    Source,
    TableSegment,
    TextSegment,
)
from steward.discovery._readers.archive import check_package
from steward.discovery.report import Location

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ROWS_PER_SEGMENT = 50_000


def _package(source: Source, budget: Budget) -> bytes:
    data = load_bytes(source, budget)
    if data.startswith(OLE_MAGIC):
        raise EncryptedError(
            f"{source.name}: password-protected (or a legacy binary Office "
            "file); remove the password or save it as .xlsx/.docx",
            path=source.name)
    check_package(data, source.name, budget)
    return data


def read_xlsx(source: Source, budget: Budget) -> Iterator[TableSegment]:
    data = _package(source, budget)
    # openpyxl and python-docx raise whatever their parsers raise on a
    # damaged package (zlib.error, lxml's XMLSyntaxError, KeyError, ...);
    # every one of them means the same here: a corrupt file.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                      data_only=True)
    except Exception as error:
        raise CorruptError(f"{source.name}: not a readable workbook "
                           f"({reason(error)})",
                           path=source.name) from error
    try:
        for sheet in book.worksheets:
            yield from _sheet_segments(sheet, source, budget)
    except ReadError:
        raise
    except Exception as error:
        raise CorruptError(f"{source.name}: a sheet is not readable "
                           f"({reason(error)})",
                           path=source.name) from error
    finally:
        book.close()


def _sheet_segments(sheet: object, source: Source, budget: Budget
                    ) -> Iterator[TableSegment]:
    title = str(getattr(sheet, "title", ""))
    where = Location(source.name, sheet=title)
    rows = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    names: list[str] | None = None
    batch: list[tuple[object, ...]] = []
    first_row = 2
    for row in rows:
        if names is None:
            if any(cell is not None for cell in row):
                names = unique_names(list(row))
            continue
        batch.append(row)
        if len(batch) == ROWS_PER_SEGMENT:
            budget.deadline.check()
            yield TableSegment(rows_to_table(names, batch), where, first_row)
            first_row += len(batch)
            batch = []
    if names is not None and batch:
        yield TableSegment(rows_to_table(names, batch), where, first_row)


def read_docx(source: Source, budget: Budget) -> Iterator[TextSegment]:
    data = _package(source, budget)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            budget.deadline.check()
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
    except ReadError:
        raise
    except Exception as error:  # see read_xlsx
        raise CorruptError(f"{source.name}: not a readable Word document "
                           f"({reason(error)})",
                           path=source.name) from error
    yield TextSegment("\n".join(lines), Location(source.name))
