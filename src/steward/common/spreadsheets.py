"""Tables as CSV or XLSX downloads, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(v: Any) -> Any:
    """A leading =, +, - or @ would be run as a formula by a spreadsheet:
    prefix it so that it stays text."""
    if isinstance(v, str) and v and v[0] in "=+-@":
        return "'" + v
    return v


def _csv_line(row: list[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow([_safe(v) for v in row])
    return buf.getvalue()


def csv_lines(data: Iterable[list[Any]]) -> Iterator[str]:
    yield "\ufeff"  # so that Excel reads UTF-8
    for row in data:
        yield _csv_line(row)


def xlsx_bytes(data: Iterable[list[Any]], title: str = "Sheet") -> bytes:
    from openpyxl import Workbook  # heavy: only when asked for

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for row in data:
        ws.append([_safe(v) for v in row])
    with tempfile.TemporaryFile() as f:
        wb.save(f)
        f.seek(0)
        return f.read()


def download(
    data: Iterable[list[Any]],
    *,
    fmt: str,
    name: str,
    title: str = "Sheet",
    stamp: bool = True,
) -> HttpResponse:
    """``data`` (header row first) as a CSV or XLSX attachment named
    ``name-YYYYMMDD-HHMM.fmt`` (``name.fmt`` without ``stamp``)."""
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(data, title), content_type=XLSX_TYPE
        )
    else:
        response = HttpResponse(
            "".join(csv_lines(data)), content_type="text/csv; charset=utf-8"
        )
        fmt = "csv"
    if stamp:
        name += timezone.localtime().strftime("-%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'

    return response
