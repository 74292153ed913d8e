"""The report as CSV: one row per finding, then one per problem."""

from __future__ import annotations

import csv
import io

from steward.discovery.report import Report

HEADER = ("entity", "path", "sheet", "page", "column", "kind", "count",
          "distinct", "validated", "confidence", "share", "positions",
          "samples", "problem")


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for f in report.findings:
        where = f.location
        writer.writerow([
            f.entity, where.path, where.sheet, where.page or "",
            where.column, f.kind, f.count, f.distinct, f.validated,
            f.confidence, "" if f.share is None else f.share,
            " ".join(map(str, f.positions)), " | ".join(f.samples), "",
        ])
    for p in report.problems:
        writer.writerow(["", p.path, "", "", "", p.kind, "", "", "", "", "",
                         "", "", p.message])
    return out.getvalue()
