"""Drafting a Statement of Internal Control's information-assurance
section from the records of the year.

The draft is built from, and only from: the organisation's assessment
for the financial year (the 2008 Data Handling Procedures where there is
one, the signed-off one before one in progress, the whole year before a
quarter), its tally of results, its open findings and their action plans
(``steward.actions``, source kind "finding"), and the coverage of the
mandatory measures by current procedures, and what later capabilities
contribute (``contributions``: incidents). ``Draft.sources`` names every
record used, so each sentence traces to a record; the page links them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from steward.actions.models import OPEN_STATUSES, Action, ActionStatus
from steward.controls.models import (
    Assessment,
    AssessmentStatus,
    Finding,
    FindingStatus,
    Result,
)
from steward.controls.periods import Period
from steward.controls.statements import contributions
from steward.organisations.access import system_access
from steward.organisations.models import Organisation, SiroAppointment

FINDING_SOURCE = "finding"
PRIMARY_FRAMEWORK = "dhp2008"


@dataclass
class Draft:
    text: str
    assessment: Assessment | None
    sources: dict = field(default_factory=dict)


def _choose_assessment(
    organisation: Organisation, year: Period
) -> Assessment | None:
    candidates = list(
        Assessment.objects.filter(
            organisation=organisation,
            period_start__gte=year.start,
            period_end__lte=year.end,
        ).select_related("framework", "version", "signed_off_by")
    )

    def rank(a: Assessment) -> tuple:
        return (
            a.framework.slug == PRIMARY_FRAMEWORK,
            a.status == AssessmentStatus.SIGNED_OFF,
            (a.period_end - a.period_start).days,  # a year before a quarter
            a.period_end,
            a.pk,
        )

    return max(candidates, key=rank) if candidates else None


def _siro_name(organisation: Organisation) -> str:
    node: Organisation | None = organisation
    while node is not None:
        appointment = (
            SiroAppointment.objects.filter(
                organisation=node, ended_at__isnull=True
            )
            .select_related("person")
            .first()
        )
        if appointment is not None:
            return appointment.person.full_name
        node = node.parent
    return ""


def _day(d: dt.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _resolved(n: int, further: str = "") -> str:
    return (
        f"{n} {further}{'weakness' if n == 1 else 'weaknesses'} found in "
        f"the assessment {'has' if n == 1 else 'have'} been resolved."
    )


def draft(organisation: Organisation, year: Period) -> Draft:
    """The draft text and the records it was drawn from."""
    from steward.controls.selectors import procedure_coverage

    today = timezone.localdate()
    assessment = _choose_assessment(organisation, year)
    siro = _siro_name(organisation)
    paragraphs = [
        f"Statement of Internal Control {year.code}: information risk",
        organisation.name,
        "Scope of responsibility",
        (
            f"As Senior Information Risk Owner, {siro} is responsible to "
            f"the Accounting Officer for information risk in "
            f"{organisation.name}"
            if siro
            else f"{organisation.name} has no Senior Information Risk Owner "
            "appointed; the Accounting Officer answers for information risk"
        )
        + ", including the protection of the personal data it holds and "
        "of the data its delivery partners handle on its behalf.",
    ]
    sources: dict = {
        "period": year.code,
        "generated_at": timezone.now().isoformat(),
        "assessment": None,
        "findings": [],
        "actions": [],
        "figures": {},
    }
    paragraphs.append("The information assurance assessment")
    findings: list[Finding] = []
    resolved: list[int] = []
    if assessment is None:
        paragraphs.append(
            f"{organisation.name} has not yet assessed its handling of "
            f"information for {year.label.lower()}. This statement can say "
            "nothing of the controls' effectiveness until it has."
        )
    else:
        tally = assessment.answers.aggregate(
            total=Count("pk"),
            met=Count("pk", filter=Q(result=Result.MET)),
            partly=Count("pk", filter=Q(result=Result.PARTLY_MET)),
            not_met=Count("pk", filter=Q(result=Result.NOT_MET)),
            na=Count("pk", filter=Q(result=Result.NOT_APPLICABLE)),
        )
        sources["assessment"] = assessment.pk
        sources["figures"] = dict(tally)
        signer = (
            assessment.signed_off_by.full_name
            if assessment.signed_off_by
            else "the SIRO"
        )
        signed = (
            f"The assessment was signed off by {signer}"
            f" on {_day(timezone.localdate(assessment.signed_off_at))}."
            if assessment.status == AssessmentStatus.SIGNED_OFF
            and assessment.signed_off_at
            else "The assessment is still in progress and has not been "
            "signed off; its results may change."
        )
        unanswered = tally["total"] - (
            tally["met"] + tally["partly"] + tally["not_met"] + tally["na"]
        )
        paragraphs.append(
            f"{organisation.name} assessed its handling of information "
            f"against {assessment.version.title} (version "
            f"{assessment.version.version}) for period {assessment.period}. "
            f"Of {_plural(tally['total'], 'requirement')}, {tally['met']} "
            f"{'was' if tally['met'] == 1 else 'were'} met, "
            f"{tally['partly']} partly met, {tally['not_met']} not met and "
            f"{tally['na']} not applicable"
            + (f"; {unanswered} not yet answered" if unanswered else "")
            + f". {signed}"
        )
        findings = list(
            assessment.findings.filter(status=FindingStatus.OPEN)
            .select_related("requirement")
            .order_by("requirement__position")
        )
        resolved = list(
            assessment.findings.filter(
                status=FindingStatus.RESOLVED
            ).values_list("pk", flat=True)
        )
    sources["findings"] = [f.pk for f in findings]
    sources["resolved_findings"] = resolved
    actions = list(
        Action.objects.filter(
            source_kind=FINDING_SOURCE,
            source_id__in=[f.pk for f in findings],
        )
        .exclude(status=ActionStatus.CANCELLED)
        .select_related("owner")
        .order_by("due", "pk")
    )
    sources["actions"] = [a.pk for a in actions]
    by_finding: dict[int, list[Action]] = {}
    for a in actions:
        by_finding.setdefault(a.source_id or 0, []).append(a)
    paragraphs.append("Significant control weaknesses")
    if assessment is None:
        paragraphs.append("None can be reported until the assessment is made.")
    elif not findings:
        paragraphs.append(
            "The assessment found no weakness in the handling of "
            "information that remains open."
            + (f" {_resolved(len(resolved))}" if resolved else "")
        )
    else:
        # Not met before partly met, each in the framework's order.
        findings.sort(key=lambda f: f.result != Result.NOT_MET)
        lines = [
            "The assessment found "
            f"{_plural(len(findings), 'weakness', 'weaknesses')} "
            "that remain open:"
        ]
        for f in findings:
            plan = by_finding.get(f.pk, [])
            if plan:
                steps = "; ".join(
                    f"{a.title} (owner {a.owner.full_name}, due "
                    f"{_day(a.due)}, {a.get_status_display().lower()}"
                    + (
                        ", overdue"
                        if a.status in OPEN_STATUSES and a.due < today
                        else ""
                    )  # fmt: skip
                    + ")"
                    for a in plan
                )
                remedy = f"Action: {steps}."
            else:
                remedy = "No action is planned yet."
            lines.append(
                f"- {f.requirement.ref} {f.requirement.title}: "
                f"{f.get_result_display().lower()}. {remedy}"
            )
        paragraphs.append("\n".join(lines))
        if resolved:
            paragraphs.append(_resolved(len(resolved), "further "))
    open_actions = [a for a in actions if a.status in OPEN_STATUSES]
    overdue = [a for a in open_actions if a.due < today]
    done = [a for a in actions if a.status == ActionStatus.DONE]
    sources["figures"] |= {
        "open_findings": len(findings),
        "open_actions": len(open_actions),
        "overdue_actions": len(overdue),
        "done_actions": len(done),
    }
    if actions:
        paragraphs.append(
            f"Of the {_plural(len(actions), 'action')} planned on these "
            f"weaknesses, {len(done)} {'is' if len(done) == 1 else 'are'} "
            f"done and {len(open_actions)} open"
            + (f", {len(overdue)} of them overdue" if overdue else "")
            + "."
        )
    coverage = procedure_coverage(
        access=system_access("statement-drafting"), organisation=organisation
    )
    sources["figures"] |= {
        "mandatory": len(coverage.mandatory),
        "covered": coverage.covered_count,
        "overdue_procedures": len(coverage.overdue),
    }
    paragraphs.append("Procedures")
    paragraphs.append(
        f"{coverage.covered_count} of {len(coverage.mandatory)} mandatory "
        "requirements of the government-wide standards are covered by a "
        "current procedure in date for review"
        + (
            f"; {_plural(len(coverage.overdue), 'procedure')} "
            f"{'is' if len(coverage.overdue) == 1 else 'are'} overdue review"
            if coverage.overdue
            else ""
        )
        + "."
    )
    for contributor in contributions.CONTRIBUTORS:
        part = contributor(organisation, year)
        if part is None:
            continue
        paragraphs.append(part.heading)
        paragraphs.extend(part.paragraphs)
        sources[part.key] = part.record_ids
        sources["figures"] |= part.figures
    return Draft(
        text="\n\n".join(paragraphs), assessment=assessment, sources=sources
    )
