"""Report writers, one module per output format."""

from __future__ import annotations

from collections.abc import Callable

from steward.discovery.formats.csvfile import render_csv
from steward.discovery.formats.jsonfile import render_json
from steward.discovery.formats.sarif import render_sarif
from steward.discovery.formats.table import render_table
from steward.discovery.report import Report

__all__ = ["FORMATS", "render"]

_WRITERS: dict[str, Callable[[Report], str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "sarif": render_sarif,
}
FORMATS = tuple(_WRITERS)


def render(report: Report, fmt: str) -> str:
    """The report as text in ``fmt``: one of ``FORMATS``."""
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"
        ) from None
    return writer(report)
