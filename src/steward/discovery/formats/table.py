"""The report as Rich tables, for people at a terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from steward.discovery.report import Report


def render_table(report: Report, width: int = 120) -> str:
    out = io.StringIO()
    # markup=False everywhere: paths, sheet names and messages are data,
    # and "[People]" must not be read as a style.
    console = Console(file=out, width=width, force_terminal=False,
                      no_color=True, markup=False)
    totals = Table(title="Personal data found", title_justify="left")
    for name in ("Entity", "Count", "Distinct", "Places"):
        totals.add_column(name, justify="left" if name == "Entity"
                          else "right")
    for total in report.totals:
        totals.add_row(total.entity, f"{total.count:,}",
                       f"{total.distinct:,}", str(total.places))
    console.print(totals)
    detail = Table(title="Where", title_justify="left", highlight=False)
    for name in ("Entity", "Location", "Count", "Distinct", "Share",
                 "Conf.", "Samples"):
        detail.add_column(name)
    for f in report.findings:
        detail.add_row(
            f.entity, Text(f.location.describe()), f"{f.count:,}",
            f"{f.distinct:,}",
            "" if f.share is None else f"{f.share:.0%}",
            f"{f.confidence:.2f}", Text(", ".join(f.samples)))
    console.print(detail)
    if report.problems:
        problems = Table(title="Not scanned", title_justify="left")
        problems.add_column("Kind")
        problems.add_column("Message")
        for p in report.problems:
            problems.add_row(p.kind, Text(p.message))
        console.print(problems)
    console.print(f"{report.sources:,} sources, {report.bytes_read:,} "
                  f"bytes, {len(report.skipped):,} binaries skipped")
    return out.getvalue()
