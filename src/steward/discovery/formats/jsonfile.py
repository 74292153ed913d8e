"""The report as JSON: ``Report.to_dict`` with a format version."""

from __future__ import annotations

import json

from steward.discovery.report import Report

VERSION = 1


def render_json(report: Report) -> str:
    return json.dumps({"format": "steward-discovery", "version": VERSION,
                       **report.to_dict()}, indent=2) + "\n"
