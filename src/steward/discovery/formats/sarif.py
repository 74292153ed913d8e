"""The report as SARIF 2.1.0 (OASIS Static Analysis Results Interchange
Format), so code-scanning dashboards can show it. Each finding is one
result; unread sources are tool execution notifications."""

from __future__ import annotations

import json
from typing import Any

from steward.discovery.report import Finding, Report

SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
          "schemas/sarif-schema-2.1.0.json")


def _result(finding: Finding) -> dict[str, Any]:
    where = finding.location
    physical: dict[str, Any] = {"artifactLocation": {"uri": where.path}}
    if finding.kind == "text" and finding.positions and not where.column:
        physical["region"] = {"startLine": finding.positions[0]}
    logical = [{"name": part, "kind": kind} for part, kind in (
        (where.sheet, "module"), (where.column, "member")) if part]
    location: dict[str, Any] = {"physicalLocation": physical}
    if logical:
        location["logicalLocations"] = logical
    share = ("" if finding.share is None
             else f", {finding.share:.0%} of the column")
    return {
        "ruleId": finding.entity,
        "level": "warning",
        "message": {"text": (
            f"{finding.count} {finding.entity} ({finding.distinct} "
            f"distinct{share}) in {where.describe()}")},
        "locations": [location],
        "properties": {
            "count": finding.count,
            "distinct": finding.distinct,
            "validated": finding.validated,
            "confidence": finding.confidence,
            "share": finding.share,
            "page": where.page or None,
            "positions": list(finding.positions),
            "samples": list(finding.samples),
        },
    }


def render_sarif(report: Report) -> str:
    entities = sorted({f.entity for f in report.findings})
    run = {
        "tool": {"driver": {
            "name": "steward-discovery",
            "rules": [{"id": entity,
                       "shortDescription": {"text": f"{entity} found"}}
                      for entity in entities],
        }},
        "invocations": [{
            "executionSuccessful": not report.problems,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": p.message},
                 "locations": [{"physicalLocation": {
                     "artifactLocation": {"uri": p.path}}}]}
                for p in report.problems],
        }],
        "results": [_result(f) for f in report.findings],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"
