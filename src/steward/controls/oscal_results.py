"""An assessment as OSCAL assessment results (no Django here).

One result for the assessment's period; one finding per answered
requirement, its target the requirement's control (the local part of its
URN, as in the OSCAL catalog export) with state satisfied (met, not
applicable) or not-satisfied (partly met, not met) and Steward's own
result as a prop; one observation per answer saying how it was found:
TEST for an automated check (its figures and record links as they were
in the check run), EXAMINE for a person's answer (its note and evidence).
The assessment plan is not modelled in Steward, so ``import-ap`` points
at the framework version's catalog.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

NS = "https://steward.example/ns/oscal"
OSCAL_VERSION = "1.1.2"
_UUID_NS = uuid.UUID("0b7f9a52-3c1d-4d7e-8f19-2a6c5e4d3b21")

_STATE = {
    "met": ("satisfied", "pass"),
    "not applicable": ("satisfied", "other"),
    "partly met": ("not-satisfied", "fail"),
    "not met": ("not-satisfied", "fail"),
}


@dataclass(frozen=True)
class EvidenceRow:
    href: str
    description: str


@dataclass(frozen=True)
class AnswerRow:
    urn: str
    ref: str
    title: str
    source: str  # "automated" or "manual"
    result: str  # "" when not answered
    note: str
    figures: list[dict[str, Any]]
    answered_at: dt.datetime | None
    evidence: list[EvidenceRow] = field(default_factory=list)


@dataclass(frozen=True)
class AssessmentRow:
    key: str  # stable, e.g. "hmrc:dhp2008:2008-09"
    organisation: str
    framework: str
    version: str
    period: str
    start: dt.datetime
    end: dt.datetime
    status: str
    last_modified: dt.datetime
    catalog_href: str


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_UUID_NS, "|".join(parts)))


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value, "ns": NS}


def _local(urn: str) -> str:
    return urn.rsplit(":", 1)[1]


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def assessment_results(
    a: AssessmentRow, answers: list[AnswerRow]
) -> dict[str, Any]:
    observations = []
    findings = []
    for x in answers:
        if not x.result:
            continue
        obs_id = _id(a.key, x.urn, "observation")
        if x.source == "automated":
            description = "; ".join(f["summary"] for f in x.figures) or (
                "No check applied"
            )
            evidence = [
                {"href": href, "description": f"{f['title']}: {name}"}
                for f in x.figures
                for name, href in f.get("links", {}).items()
            ]
            methods = ["TEST"]
        else:
            description = x.note or "Answered without a note"
            evidence = [
                {"href": e.href, "description": e.description}
                for e in x.evidence
            ]
            methods = ["EXAMINE"]
        observation: dict[str, Any] = {
            "uuid": obs_id,
            "title": f"{x.ref} {x.title}",
            "description": description,
            "methods": methods,
            "collected": _iso(x.answered_at or a.last_modified),
            "props": [_prop("source", x.source)],
        }
        if evidence:
            observation["relevant-evidence"] = evidence
        observations.append(observation)
        state, reason = _STATE[x.result]
        findings.append(
            {
                "uuid": _id(a.key, x.urn, "finding"),
                "title": f"{x.ref} {x.title}",
                "description": f"{x.ref} is {x.result}",
                "props": [_prop("result", x.result), _prop("urn", x.urn)],
                "target": {
                    "type": "objective-id",
                    "target-id": _local(x.urn),
                    "status": {"state": state, "reason": reason},
                },
                "related-observations": [{"observation-uuid": obs_id}],
            }
        )
    result: dict[str, Any] = {
        "uuid": _id(a.key, "result"),
        "title": f"{a.organisation}: {a.framework} {a.version}, {a.period}",
        "description": f"Steward assessment of {a.organisation} for "
        f"{a.period} ({a.status})",
        "start": _iso(a.start),
        "end": _iso(a.end),
        "props": [
            _prop("organisation", a.organisation),
            _prop("period", a.period),
            _prop("status", a.status),
        ],
        "reviewed-controls": {
            "control-selections": [
                {
                    "include-controls": [
                        {"control-id": _local(x.urn)} for x in answers
                    ]
                }
            ]
        },
    }
    if observations:
        result["observations"] = observations
        result["findings"] = findings
    return {
        "assessment-results": {
            "uuid": _id(a.key),
            "metadata": {
                "title": f"Assessment of {a.organisation}, {a.period}",
                "last-modified": _iso(a.last_modified),
                "version": a.version,
                "oscal-version": OSCAL_VERSION,
                "props": [_prop("framework", a.framework)],
            },
            "import-ap": {"href": a.catalog_href},
            "results": [result],
        }
    }
