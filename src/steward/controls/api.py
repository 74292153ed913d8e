"""API for the standards catalogue and organisations' procedure coverage.

Handlers are thin: they call the same selectors as the pages.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from steward.common.pagination import Pages
from steward.controls import selectors, services
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access, api_access

router = Router(tags=["standards"])


_access = api_access


class FrameworkOut(Schema):
    slug: str = Field(..., alias="framework.slug")
    title: str
    publisher: str = Field(..., alias="framework.publisher")
    version: str
    is_current: bool
    digest: str


class RequirementOut(Schema):
    urn: str
    ref: str
    kind: str
    title: str
    text: str
    source: str
    mandatory: bool


class MappingOut(Schema):
    source: str
    target: str
    relation: str


class FrameworkDetailOut(Schema):
    slug: str
    title: str
    publisher: str
    version: str
    is_current: bool
    digest: str
    requirements: list[RequirementOut]
    mappings: list[MappingOut]


class ProcedureOut(Schema):
    id: int
    title: str
    version: str
    owner: str = Field(..., alias="owner.full_name")
    next_review: dt.date


class CoverageOut(Schema):
    organisation: str
    mandatory: int
    covered: int
    uncovered: list[str]
    overdue: list[ProcedureOut]
    current: list[ProcedureOut]


@router.get(
    "/frameworks",
    response=list[FrameworkOut],
    summary="The current version of every framework in the catalogue",
)
@paginate(Pages)
def framework_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.framework_list(access=_access(request))


@router.get(
    "/frameworks/{slug}",
    response=FrameworkDetailOut,
    summary="A framework version (current unless named) in full",
)
def framework_get(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, version: str = ""
):
    access = _access(request)
    found = selectors.framework_version_get(
        access=access, slug=slug, version=version or None
    )
    return {
        "slug": found.framework.slug,
        "publisher": found.framework.publisher,
        "title": found.title,
        "version": found.version,
        "is_current": found.is_current,
        "digest": found.digest,
        "requirements": list(
            selectors.requirement_list(access=access, version=found)
        ),
        "mappings": [
            {
                "source": m.source.urn,
                "target": m.target_urn,
                "relation": m.relation,
            }
            for m in selectors.mapping_list(access=access, version=found)
        ],
    }


@router.get(
    "/organisations/{code}/coverage",
    response=CoverageOut,
    summary="Mandatory requirements without a current procedure, and "
    "procedures overdue review",
)
def coverage_get(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    access = _access(request)
    organisation = org_selectors.organisation_get(access=access, code=code)
    c = selectors.procedure_coverage(access=access, organisation=organisation)
    return {
        "organisation": organisation.code,
        "mandatory": len(c.mandatory),
        "covered": c.covered_count,
        "uncovered": [r.urn for r in c.uncovered],
        "overdue": c.overdue,
        "current": c.current,
    }


# --- Assessments ----------------------------------------------------------


class TallyOut(Schema):
    total: int
    answered: int
    met: int
    partly_met: int
    not_met: int
    not_applicable: int
    score: int | None = Field(
        None,
        description="Met 1, partly met 0.5, not met 0; not applicable and "
        "unanswered left out; the average as a percentage",
    )


class AssessmentOut(Schema):
    id: int
    organisation: str
    framework: str
    version: str
    period: str
    period_start: dt.date
    period_end: dt.date
    status: str
    started_at: dt.datetime
    checks_run_at: dt.datetime | None
    signed_off_at: dt.datetime | None
    open_findings: int
    tally: TallyOut


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    filename: str
    size: int
    sha256: str
    observed_on: dt.date | None
    added_at: dt.datetime
    download: str | None


class AnswerOut(Schema):
    id: int
    urn: str
    ref: str
    title: str
    source: str
    result: str
    note: str
    figures: list[dict]
    check_run: int | None
    answered_at: dt.datetime | None
    evidence: list[EvidenceOut]


class AssessmentDetailOut(AssessmentOut):
    answers: list[AnswerOut]


class AssessmentIn(Schema):
    organisation: str = Field(..., max_length=40)
    framework: str = Field(..., max_length=40)
    period: str = Field(
        ..., max_length=20, description="2008-09, or 2008-09 Q1 to Q4"
    )


class LinkSchema(Schema):
    url: str = Field(..., max_length=500)
    title: str = Field("", max_length=200)


class AnswerIn(Schema):
    result: str = Field(
        ..., description="met, partly met, not met or not applicable"
    )
    note: str = Field(..., max_length=5000)
    links: list[LinkSchema] = Field(default_factory=list, max_length=20)
    observed_on: dt.date | None = None


class SignOffIn(Schema):
    note: str = Field("", max_length=5000)


class CheckRunOut(Schema):
    number: int
    run_at: dt.datetime
    results: dict


def _assessment_out(a) -> dict:  # type: ignore[no-untyped-def]
    t = selectors.tally_of(a)
    return {
        "id": a.pk,
        "organisation": a.organisation.code,
        "framework": a.framework.slug,
        "version": a.version.version,
        "period": a.period,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "status": a.status,
        "started_at": a.started_at,
        "checks_run_at": a.checks_run_at,
        "signed_off_at": a.signed_off_at,
        "open_findings": a.n_open_findings,
        "tally": _tally_out(t),
    }


def _tally_out(t) -> dict:  # type: ignore[no-untyped-def]
    return {
        "total": t.total,
        "answered": t.answered,
        "met": t.met,
        "partly_met": t.partly_met,
        "not_met": t.not_met,
        "not_applicable": t.not_applicable,
        "score": t.score,
    }


def _evidence_out(e) -> dict:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    return {
        "id": e.pk,
        "kind": e.kind,
        "title": e.title,
        "url": e.url,
        "filename": e.filename,
        "size": e.size,
        "sha256": e.sha256,
        "observed_on": e.observed_on,
        "added_at": e.added_at,
        "download": reverse("assessments:evidence", args=[e.pk])
        if e.file
        else None,
    }


def _answer_out(a) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": a.pk,
        "urn": a.requirement.urn,
        "ref": a.requirement.ref,
        "title": a.requirement.title,
        "source": a.source,
        "result": a.result,
        "note": a.note,
        "figures": a.figures,
        "check_run": a.check_run.number if a.check_run_id else None,
        "answered_at": a.answered_at,
        "evidence": [_evidence_out(e) for e in a.live_evidence],
    }


def _readable(request: HttpRequest) -> Access:
    """For lists: 403 unless the caller's role reads assessments. (Single
    records: their selectors say 404 outside reach, 403 for the role.)"""
    from steward.common.errors import Forbidden

    access = _access(request)
    if not selectors.can_read_assessments(access):
        raise Forbidden(selectors.READERS_ONLY)
    return access


class AssessmentFilters(Schema):
    organisation: str = Field("", max_length=40)
    framework: str = Field("", max_length=40)
    period: str = Field("", max_length=20)
    status: str = Field("", pattern="^(|in_progress|signed_off)$")


@router.get(
    "/assessments",
    response=list[AssessmentOut],
    tags=["assessments"],
    summary="Assessments the caller can see, newest period first",
)
@paginate(Pages)
def assessment_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, filters: Query[AssessmentFilters]
):
    access = _readable(request)
    org = (
        org_selectors.organisation_get(
            access=access, code=filters.organisation
        )
        if filters.organisation
        else None
    )
    qs = selectors.assessment_list(
        access=access,
        filters=selectors.AssessmentFilters(
            framework=filters.framework,
            period=filters.period,
            status=filters.status,
            organisation=org,
        ),
    )
    return _Lazy(qs, lambda rows: [_assessment_out(a) for a in rows])


@router.post(
    "/assessments",
    response={201: AssessmentOut},
    tags=["assessments"],
    summary="Start an assessment: the checks answer what they can at once",
)
def assessment_start(request: HttpRequest, payload: AssessmentIn):  # type: ignore[no-untyped-def]
    access = _readable(request)
    org = org_selectors.organisation_get(
        access=access, code=payload.organisation
    )
    version = selectors.framework_version_get(
        access=access, slug=payload.framework
    )
    a = services.assessment_start(
        access=access, organisation=org, version=version, period=payload.period
    )
    return 201, _assessment_out(
        selectors.assessment_get(access=access, pk=a.pk)
    )


@router.get(
    "/assessments/{assessment_id}",
    response=AssessmentDetailOut,
    tags=["assessments"],
    summary="An assessment with every answer, its figures and evidence",
)
def assessment_get(request: HttpRequest, assessment_id: int):  # type: ignore[no-untyped-def]
    access = _access(request)
    a = selectors.assessment_get(access=access, pk=assessment_id)
    return {
        **_assessment_out(a),
        "answers": [
            _answer_out(x)
            for x in selectors.answer_list(access=access, assessment=a)
        ],
    }


@router.post(
    "/assessments/{assessment_id}/recompute",
    response=CheckRunOut,
    tags=["assessments"],
    summary="Run the automated checks again (earlier runs are kept)",
)
def assessment_recompute(request: HttpRequest, assessment_id: int):  # type: ignore[no-untyped-def]
    access = _access(request)
    a = selectors.assessment_get(access=access, pk=assessment_id)
    return services.assessment_recompute(access=access, assessment=a)


@router.put(
    "/assessments/{assessment_id}/answers/{answer_id}",
    response=AnswerOut,
    tags=["assessments"],
    summary="Answer a requirement no check evidences, with links",
)
def answer_put(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    assessment_id: int,
    answer_id: int,
    payload: AnswerIn,
):
    access = _access(request)
    a = selectors.assessment_get(access=access, pk=assessment_id)
    answer = selectors.answer_get(access=access, assessment=a, pk=answer_id)
    services.answer_record(
        access=access,
        answer=answer,
        result=payload.result,
        note=payload.note,
        links=[services.LinkIn(x.url, x.title) for x in payload.links],
        observed_on=payload.observed_on,
    )
    return _answer_out(
        selectors.answer_get(access=access, assessment=a, pk=answer_id)
    )


@router.post(
    "/assessments/{assessment_id}/answers/{answer_id}/evidence",
    response={201: list[EvidenceOut]},
    tags=["assessments"],
    summary="Upload an evidence file for an answer (multipart, field 'file')",
)
def evidence_upload(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    assessment_id: int,
    answer_id: int,
    file: File[UploadedFile | None] = None,  # type: ignore[type-arg]
    observed_on: Form[dt.date | None] = None,
):
    from steward.common.errors import Invalid
    from steward.controls.evidence import MAX_BYTES, check_file

    access = _access(request)
    a = selectors.assessment_get(access=access, pk=assessment_id)
    answer = selectors.answer_get(access=access, assessment=a, pk=answer_id)
    if file is None:
        raise Invalid({"file": "Send the file as multipart field 'file'"})
    if file.size > MAX_BYTES:
        raise Invalid({"file": "The file must be smaller than 10 MB"})
    added = services.evidence_add(
        access=access,
        answer=answer,
        files=[check_file(file.name or "", file.read())],
        observed_on=observed_on,
    )
    return 201, [_evidence_out(e) for e in added]


@router.post(
    "/assessments/{assessment_id}/sign-off",
    response=AssessmentOut,
    tags=["assessments"],
    summary="The SIRO signs off; the assessment is read-only after",
)
def assessment_sign_off(  # type: ignore[no-untyped-def]
    request: HttpRequest, assessment_id: int, payload: SignOffIn
):
    access = _access(request)
    a = selectors.assessment_get(access=access, pk=assessment_id)
    services.assessment_sign_off(
        access=access, assessment=a, note=payload.note
    )
    return _assessment_out(selectors.assessment_get(access=access, pk=a.pk))


class FindingOut(Schema):
    id: int
    organisation: str
    assessment: int
    period: str
    urn: str
    ref: str
    title: str
    result: str
    status: str
    opened_at: dt.datetime
    resolved_at: dt.datetime | None
    open_actions: int
    overdue_actions: int


class FindingFilters(Schema):
    status: str = Field("", pattern="^(|open|resolved)$")
    result: str = Field("", pattern="^(|not met|partly met)$")
    period: str = Field("", max_length=20)


def _finding_out(f, counts: dict) -> dict:  # type: ignore[no-untyped-def]
    open_, overdue = counts.get(f.pk, (0, 0))
    return {
        "id": f.pk,
        "organisation": f.organisation.code,
        "assessment": f.assessment_id,
        "period": f.assessment.period,
        "urn": f.requirement.urn,
        "ref": f.requirement.ref,
        "title": f.requirement.title,
        "result": f.result,
        "status": f.status,
        "opened_at": f.opened_at,
        "resolved_at": f.resolved_at,
        "open_actions": open_,
        "overdue_actions": overdue,
    }


@router.get(
    "/findings",
    response=list[FindingOut],
    tags=["assessments"],
    summary="Findings (requirements not met or partly met) the caller sees",
)
@paginate(Pages)
def finding_list(request: HttpRequest, filters: Query[FindingFilters]):  # type: ignore[no-untyped-def]
    access = _readable(request)
    qs = selectors.finding_list(
        access=access,
        filters=selectors.FindingFilters(
            status=filters.status,
            result=filters.result,
            period=filters.period,
        ),
    )
    return _Lazy(qs, _findings_out)


class _Lazy:
    """A queryset that the paginator slices, turned into output rows one
    page at a time (so a page costs the same whatever the total)."""

    def __init__(self, qs, convert) -> None:  # type: ignore[no-untyped-def]
        self.qs = qs
        self.convert = convert

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, s):  # type: ignore[no-untyped-def]
        return self.convert(list(self.qs[s]))


def _findings_out(rows: list) -> list[dict]:
    counts = selectors.finding_action_counts([f.pk for f in rows])
    return [_finding_out(f, counts) for f in rows]


@router.get(
    "/findings/{finding_id}",
    response=FindingOut,
    tags=["assessments"],
    summary="A finding with its action counts (the actions: /actions?...)",
)
def finding_get(request: HttpRequest, finding_id: int):  # type: ignore[no-untyped-def]
    access = _access(request)
    f = selectors.finding_get(access=access, pk=finding_id)
    return _finding_out(f, selectors.finding_action_counts([f.pk]))


class TrendPointOut(Schema):
    assessment: int
    period: str
    version: str
    status: str
    tally: TallyOut


class RequirementScoreOut(Schema):
    urn: str
    ref: str
    title: str
    results: list[str]
    tally: TallyOut


class ScoresOut(Schema):
    organisation: str
    framework: str
    rule: str
    periods: list[TrendPointOut]
    requirements: list[RequirementScoreOut]


def _req_out(r) -> dict:  # type: ignore[no-untyped-def]
    return {
        "urn": r.urn,
        "ref": r.ref,
        "title": r.title,
        "results": r.results,
        "tally": _tally_out(r.tally),
    }


@router.get(
    "/organisations/{code}/scores",
    response=ScoresOut,
    tags=["assessments"],
    summary="An organisation's score per period and per requirement",
)
def organisation_scores(  # type: ignore[no-untyped-def]
    request: HttpRequest, code: str, framework: str = "dhp2008"
):
    from steward.controls.scoring import RULE

    access = _access(request)
    org = org_selectors.organisation_get(access=access, code=code)
    if not selectors.can_read_assessments(access):
        from steward.common.errors import Forbidden

        raise Forbidden(selectors.READERS_ONLY)
    trend = selectors.organisation_trend(
        access=access, organisation=org, framework=framework
    )
    return {
        "organisation": org.code,
        "framework": framework,
        "rule": RULE,
        "periods": [
            {
                "assessment": p.assessment.pk,
                "period": p.assessment.period,
                "version": p.assessment.version.version,
                "status": p.assessment.status,
                "tally": _tally_out(p.tally),
            }
            for p in trend
        ],
        "requirements": [
            _req_out(r)
            for r in selectors.requirement_trend(access=access, trend=trend)
        ],
    }


class GovernmentCellOut(Schema):
    period: str
    assessment: int | None
    signed_off: bool
    tally: TallyOut | None
    open_actions: int
    overdue_actions: int


class GovernmentRowOut(Schema):
    department: str
    name: str
    periods: list[GovernmentCellOut]


@router.get(
    "/scores/government",
    response=list[GovernmentRowOut],
    tags=["assessments"],
    summary="Every department side by side, per period (central team)",
)
def government_scores(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    framework: str = "dhp2008",
    period: Query[list[str]] = None,  # type: ignore[assignment]
):
    access = _readable(request)
    periods = (
        list(period or [])
        or [
            p
            for p in selectors.assessment_periods(access=access)
            if " Q" not in p
        ][:3]
    )
    rows = selectors.government_position(
        access=access, framework=framework, periods=periods
    )
    return [
        {
            "department": r.department.code,
            "name": r.department.name,
            "periods": [
                {
                    "period": p,
                    "assessment": c.assessment.pk if c.assessment else None,
                    "signed_off": bool(
                        c.assessment and c.assessment.is_signed_off
                    ),
                    "tally": _tally_out(c.tally) if c.tally else None,
                    "open_actions": c.open_actions,
                    "overdue_actions": c.overdue_actions,
                }
                for p, c in zip(periods, r.cells, strict=True)
            ],
        }
        for r in rows
    ]


class ResolveIn(Schema):
    note: str = Field(..., max_length=5000)


@router.post(
    "/findings/{finding_id}/resolve",
    response=FindingOut,
    tags=["assessments"],
    summary="Resolve a finding once its action plan is done",
)
def finding_resolve(  # type: ignore[no-untyped-def]
    request: HttpRequest, finding_id: int, payload: ResolveIn
):
    access = _access(request)
    f = selectors.finding_get(access=access, pk=finding_id)
    services.finding_resolve(access=access, finding=f, note=payload.note)
    f = selectors.finding_get(access=access, pk=finding_id)
    return _finding_out(f, selectors.finding_action_counts([f.pk]))
