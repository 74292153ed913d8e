"""Pages for assessments: the list, starting one, the assessment with its
answers and evidence, sign-off, findings with their action plans, an
organisation's position over its subtree and across periods, and the
central team's cross-government view.

Views parse, call selectors and one service, and render.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from steward.common import components
from steward.common.errors import Forbidden, Invalid, NotFound
from steward.controls import (
    charts,
    forms,
    periods,
    scoring,
    selectors,
    services,
)
from steward.controls.evidence import MAX_BYTES, check_file
from steward.controls.models import (
    Answer,
    AnswerSource,
    FindingStatus,
    Result,
)
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access, page_access
from steward.organisations.models import Kind, Organisation

PER_PAGE = 50

TAG = {
    Result.MET: "govuk-tag--green",
    Result.PARTLY_MET: "govuk-tag--yellow",
    Result.NOT_MET: "govuk-tag--red",
    Result.NOT_APPLICABLE: "govuk-tag--grey",
    "": "govuk-tag--blue",
}
LABEL = dict(Result.choices) | {"": "Not answered"}


def result_tag(result: str) -> str:
    return components.render(
        "tag", {"text": LABEL.get(result, result), "classes": TAG[result]}
    )


_access = page_access


def _reader(request: HttpRequest) -> Access:
    """The viewer, for a list: 403 unless their role reads assessments."""
    access = _access(request)
    if not selectors.can_read_assessments(access):
        raise Forbidden(selectors.READERS_ONLY)
    return access


def _posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one), else None: an empty
    form sent must show its errors, not a fresh form."""
    return request.POST if request.method == "POST" else None


def _score(t: scoring.Tally | None) -> str:
    if t is None:
        return "–"
    return "–" if t.score is None else f"{t.score}%"


def _frameworks(access: Access) -> list[tuple[str, str]]:
    return [
        (v.framework.slug, v.title)
        for v in selectors.framework_list(access=access)
    ]


# --- The list -------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    form = forms.AssessmentFilterForm(
        request.GET or None,
        frameworks=_frameworks(access),
        periods=selectors.assessment_periods(access=access),
    )
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.assessment_list(
        access=access,
        filters=selectors.AssessmentFilters(
            search=d.get("q", ""),
            framework=d.get("framework", ""),
            period=d.get("period", ""),
            status=d.get("status", ""),
        ),
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for a in page.object_list:
        t = selectors.tally_of(a)
        rows.append(
            [
                {
                    "html": format_html(
                        '<a class="govuk-link" href="{}">{}</a><br>'
                        '<span class="govuk-hint govuk-!-font-size-16">'
                        "{}</span>",
                        reverse("assessments:detail", args=[a.pk]),
                        a.organisation.name,
                        f"{a.framework.slug} {a.version.version}",
                    )
                },
                {"text": a.period},
                {"text": f"{t.answered} of {t.total}"},
                {"text": _score(t), "format": "numeric"},
                {"text": str(t.not_met), "format": "numeric"},
                {"text": str(a.n_open_findings), "format": "numeric"},  # type: ignore[attr-defined]
                {"text": a.get_status_display()},
            ]
        )
    return render(
        request,
        "controls/assessments/list.html",
        {
            "form": form,
            "page": page,
            "can_start": access.has_any(services.ASSESSMENT_RUNNERS),
            "is_central": selectors.can_see_government(access),
            "departments": _own_departments(access),
            "rule": scoring.RULE,
            "table": {
                "caption": "Assessments",
                "captionClasses": "govuk-visually-hidden",
                "head": [
                    {"text": "Organisation"},
                    {"text": "Period"},
                    {"text": "Answered"},
                    {"text": "Score", "format": "numeric"},
                    {"text": "Not met", "format": "numeric"},
                    {"text": "Open findings", "format": "numeric"},
                    {"text": "Status"},
                ],
                "rows": rows,
            },
        },
    )


def _own_departments(access: Access) -> list[Organisation]:
    """Where the viewer's reach starts: the organisations they hold a
    reading role in (for links to each one's position)."""
    ids = {
        g.organisation_id
        for g in access.grants
        if g.role in selectors.ASSESSMENT_READERS
    }
    return list(
        Organisation.objects.filter(pk__in=ids)
        .exclude(kind=Kind.CENTRAL)
        .order_by("path")
    )


# --- Start ----------------------------------------------------------------


@login_required
def assessment_start(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    orgs = [
        o
        for o in org_selectors.organisation_list(access=access)
        .filter(is_active=True)
        .exclude(kind__in=[Kind.CENTRAL, Kind.REGULATOR])
        if access.has_role(services.ASSESSMENT_RUNNERS, o)
    ]
    if not orgs:
        raise Forbidden("Only the SIRO or a Data Guardian starts assessments")
    today = timezone.localdate()
    form = forms.StartForm(
        _posted(request),
        initial={
            "period": periods.year_of(today).code,
            "framework": "dhp2008",
        },
        organisations=[(o.code, o.name) for o in orgs],
        frameworks=_frameworks(access),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = next(o for o in orgs if o.code == d["organisation"])
        try:
            version = selectors.framework_version_get(
                access=access, slug=d["framework"]
            )
            assessment = services.assessment_start(
                access=access,
                organisation=org,
                version=version,
                period=d["period"],
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(
                request,
                "The assessment is started. Automated checks have answered "
                "what they can; answer the rest with evidence.",
            )
            return redirect("assessments:detail", pk=assessment.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Start an assessment",
            "back_url": reverse("assessments:list"),
            "intro": "Steward answers the requirements its checks evidence "
            "from the asset register, the organisation tree, procedures and "
            "scans. People answer the rest, with evidence, and the SIRO "
            "signs off.",
            "submit_label": "Start assessment",
        },
    )


# --- The assessment -------------------------------------------------------


def _answer_rows(answers: list[Answer]) -> list[dict[str, Any]]:
    return [{"answer": a, "tag": result_tag(a.result)} for a in answers]


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    assessment = selectors.assessment_get(access=access, pk=pk)
    answers = selectors.answer_list(access=access, assessment=assessment)
    tally = selectors.tally_of(assessment)
    org = assessment.organisation
    show = request.GET.get("show", "")
    shown = answers
    if show == "manual":
        shown = [a for a in answers if a.source == AnswerSource.MANUAL]
    elif show == "unanswered":
        shown = [a for a in answers if not a.result]
    elif show == "failing":
        shown = [a for a in answers if a.result in scoring.FAILING]
    groups = [
        {"parent": g.parent, "rows": _answer_rows(g.answers)}
        for g in selectors.answer_groups(shown)
    ]
    is_open = not assessment.is_signed_off
    next_answer = next(
        (
            a
            for a in answers
            if a.source == AnswerSource.MANUAL and not a.result
        ),
        None,
    )
    return render(
        request,
        "controls/assessments/detail.html",
        {
            "assessment": assessment,
            "tally": tally,
            "groups": groups,
            "show": show,
            "next_answer": next_answer,
            "automated": sum(
                1 for a in answers if a.source == AnswerSource.AUTOMATED
            ),
            "manual": sum(
                1 for a in answers if a.source == AnswerSource.MANUAL
            ),
            "can_answer": is_open
            and access.has_role(services.ASSESSMENT_ANSWERERS, org),
            "can_run": is_open
            and access.has_role(services.ASSESSMENT_RUNNERS, org),
            "can_sign": is_open
            and access.has_role(services.ASSESSMENT_SIGNERS, org),
            "rule": scoring.RULE,
            "last_run": assessment.check_runs.first(),
            "findings": list(
                assessment.findings.filter(
                    status=FindingStatus.OPEN
                ).select_related("requirement")
            ),
        },
    )


@login_required
def assessment_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's answers as CSV, for auditors and spreadsheets."""
    access = _access(request)
    assessment = selectors.assessment_get(access=access, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"assessment-{assessment.organisation.code}-" + (
        assessment.period.replace(" ", "-")
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "framework",
            "version",
            "period",
            "urn",
            "ref",
            "requirement",
            "source",
            "result",
            "note",
            "evidence",
            "answered_at",
        ]
    )
    for a in selectors.answer_list(access=access, assessment=assessment):
        checks = "; ".join(f["summary"] for f in a.figures)
        writer.writerow(
            [
                assessment.framework.slug,
                assessment.version.version,
                assessment.period,
                a.requirement.urn,
                a.requirement.ref,
                a.requirement.title,
                a.source,
                a.result,
                _csv_safe(a.note or checks),
                len(a.live_evidence),  # type: ignore[attr-defined]
                a.answered_at.isoformat() if a.answered_at else "",
            ]
        )
    return response


@login_required
def assessment_oscal(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment as OSCAL assessment results (JSON), for auditors'
    tools."""
    import datetime as dt
    import json

    from steward.controls import oscal_results as oscal

    access = _access(request)
    a = selectors.assessment_get(access=access, pk=pk)
    rows = []
    for x in selectors.answer_list(access=access, assessment=a):
        rows.append(
            oscal.AnswerRow(
                urn=x.requirement.urn,
                ref=x.requirement.ref,
                title=x.requirement.title,
                source=x.source,
                result=x.result,
                note=x.note,
                figures=x.figures,
                answered_at=x.answered_at,
                evidence=[
                    oscal.EvidenceRow(
                        href=e.url
                        or request.build_absolute_uri(
                            reverse("assessments:evidence", args=[e.pk])
                        ),
                        description=f"{e.title} (sha256 {e.sha256})"
                        if e.sha256
                        else e.title,
                    )
                    for e in x.live_evidence  # type: ignore[attr-defined]
                ],
            )
        )

    def at(day: dt.date, end: bool = False) -> dt.datetime:
        t = dt.time.max if end else dt.time.min
        return dt.datetime.combine(day, t, tzinfo=dt.UTC)

    document = oscal.assessment_results(
        oscal.AssessmentRow(
            key=f"{a.organisation.code}:{a.framework.slug}:{a.period}",
            organisation=a.organisation.name,
            framework=a.framework.slug,
            version=a.version.version,
            period=a.period,
            start=at(a.period_start),
            end=at(a.period_end, end=True),
            status=a.status,
            last_modified=a.signed_off_at or a.checks_run_at or a.started_at,
            catalog_href=request.build_absolute_uri(
                reverse("controls:detail", args=[a.framework.slug])
                + f"?version={a.version.version}"
            ),
        ),
        rows,
    )
    response = HttpResponse(
        json.dumps(document, indent=2), content_type="application/json"
    )
    name = f"assessment-{a.organisation.code}-" + a.period.replace(" ", "-")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-oscal.json"'
    )
    return response


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _read_upload(form: Any) -> list:
    upload = form.cleaned_data.get("file")
    if not upload:
        return []
    if upload.size > MAX_BYTES:
        mb = MAX_BYTES // 1048576
        raise Invalid({"file": f"The file must be smaller than {mb} MB"})
    return [check_file(upload.name, upload.read())]


def _links(form: Any) -> list[services.LinkIn]:
    url = form.cleaned_data.get("link")
    if not url:
        return []
    return [services.LinkIn(url, form.cleaned_data.get("link_title", ""))]


@login_required
def answer_page(request: HttpRequest, pk: int, answer: int) -> HttpResponse:
    """One requirement: what the checks found or the person's answer, its
    evidence, and (while the assessment is open) the form to answer it or
    to add evidence."""
    access = _access(request)
    assessment = selectors.assessment_get(access=access, pk=pk)
    item = selectors.answer_get(
        access=access, assessment=assessment, pk=answer
    )
    org = assessment.organisation
    can_answer = not assessment.is_signed_off and access.has_role(
        services.ASSESSMENT_ANSWERERS, org
    )
    manual = item.source == AnswerSource.MANUAL
    if request.method == "POST" and not can_answer:
        raise Forbidden(
            "The assessment is signed off"
            if assessment.is_signed_off
            else "Your role does not allow answering the assessment"
        )
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    if manual:
        form: Any = forms.AnswerForm(
            data,
            files,
            initial={"result": item.result, "note": item.note},
        )
    else:
        form = forms.EvidenceForm(data, files)
    if request.method == "POST" and form.is_valid():
        try:
            if manual:
                services.answer_record(
                    access=access,
                    answer=item,
                    result=form.cleaned_data["result"],
                    note=form.cleaned_data["note"],
                    files=_read_upload(form),
                    links=_links(form),
                    observed_on=form.cleaned_data.get("observed_on"),
                )
                done = f"{item.requirement.ref} is answered"
            else:
                services.evidence_add(
                    access=access,
                    answer=item,
                    files=_read_upload(form),
                    links=_links(form),
                    observed_on=form.cleaned_data.get("observed_on"),
                )
                done = "The evidence is added"
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, done)
            return redirect(
                reverse("assessments:detail", args=[assessment.pk])
                + f"#answer-{item.pk}"
            )
    return render(
        request,
        "controls/assessments/answer.html",
        {
            "assessment": assessment,
            "item": item,
            "tag": result_tag(item.result),
            "form": form,
            "can_answer": can_answer,
            "manual": manual,
            "evidence": item.live_evidence,  # type: ignore[attr-defined]
            "finding": getattr(item, "finding", None),
        },
    )


@login_required
@require_POST
def assessment_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    assessment = selectors.assessment_get(access=access, pk=pk)
    run = services.assessment_recompute(access=access, assessment=assessment)
    messages.success(
        request,
        f"The checks ran again (run {run.number}); the earlier runs are kept.",
    )
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
def assessment_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    assessment = selectors.assessment_get(access=access, pk=pk)
    if not access.has_role(
        services.ASSESSMENT_SIGNERS, assessment.organisation
    ):
        raise Forbidden(
            "Only the SIRO of the organisation, or of one above it, signs "
            "off an assessment"
        )
    if assessment.is_signed_off:
        raise Forbidden("The assessment is already signed off")
    form = forms.SignOffForm(_posted(request))
    tally = selectors.tally_of(assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_sign_off(
                access=access,
                assessment=assessment,
                note=form.cleaned_data["note"],
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(
                request, "The assessment is signed off. It is now read-only."
            )
            return redirect("assessments:detail", pk=assessment.pk)
    return render(
        request,
        "controls/assessments/sign_off.html",
        {
            "form": form,
            "assessment": assessment,
            "tally": tally,
            "page_title": "Sign off the assessment",
            "caption": f"{assessment.organisation.name} · "
            f"{assessment.framework.slug} · {assessment.period}",
            "back_url": reverse("assessments:detail", args=[assessment.pk]),
            "submit_label": "Sign off",
        },
    )


# --- Evidence -------------------------------------------------------------


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    item = selectors.evidence_get(access=access, pk=pk)
    if not item.file:
        raise NotFound("evidence")
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.filename or f"evidence-{item.pk}",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    item = selectors.evidence_get(access=access, pk=pk)
    try:
        services.evidence_withdraw(access=access, evidence=item)
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(request, "The evidence is withdrawn")
    return redirect(
        "assessments:answer",
        pk=item.answer.assessment_id,
        answer=item.answer_id,
    )


# --- Findings -------------------------------------------------------------


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    form = forms.FindingFilterForm(
        request.GET or None,
        periods=selectors.assessment_periods(access=access),
    )
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.finding_list(
        access=access,
        filters=selectors.FindingFilters(
            search=d.get("q", ""),
            status=d.get("status", ""),
            result=d.get("result", ""),
            period=d.get("period", ""),
        ),
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    actions = selectors.finding_action_counts([f.pk for f in page.object_list])
    rows = []
    for f in page.object_list:
        open_, overdue = actions.get(f.pk, (0, 0))
        rows.append(
            [
                {
                    "html": format_html(
                        '<a class="govuk-link" href="{}">{} {}</a>',
                        reverse("assessments:finding", args=[f.pk]),
                        f.requirement.ref,
                        f.requirement.title,
                    )
                },
                {"text": f.organisation.name},
                {
                    "text": f"{f.assessment.framework.slug} "
                    f"{f.assessment.period}"
                },
                {"html": result_tag(f.result), "classes": "steward-nowrap"},
                {"text": f.get_status_display()},
                {
                    "text": (f"{open_} open" if open_ else "None open")
                    + (f", {overdue} overdue" if overdue else "")
                },
            ]
        )
    return render(
        request,
        "controls/assessments/findings.html",
        {
            "form": form,
            "page": page,
            "table": {
                "caption": "Findings",
                "captionClasses": "govuk-visually-hidden",
                "head": [
                    {"text": "Requirement"},
                    {"text": "Organisation"},
                    {"text": "Assessment"},
                    {"text": "Result"},
                    {"text": "Status"},
                    {"text": "Actions"},
                ],
                "rows": rows,
            },
        },
    )


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    finding = selectors.finding_get(access=access, pk=pk)
    org = finding.organisation
    can_plan = selectors.can_plan_actions(access=access, organisation=org)
    owners = selectors.action_owners(access=access, organisation=org)
    form = forms.ActionForm(
        _posted(request),
        owners=[(str(u.pk), u.full_name) for u in owners],
    )
    if request.method == "POST":
        if not can_plan:
            raise Forbidden(
                "Only the SIRO, an Information Asset Owner, a Data "
                "Guardian or the central team plans actions"
            )
        if form.is_valid():
            d = form.cleaned_data
            owner = next(u for u in owners if str(u.pk) == d["owner"])
            from steward.actions.services import action_create

            try:
                action_create(
                    access=access,
                    organisation=org,
                    title=d["title"],
                    owner=owner,
                    due=d["due"],
                    description=d["description"],
                    source_kind=selectors.FINDING_SOURCE,
                    source_id=finding.pk,
                )
            except Invalid as exc:
                form.add_invalid(exc)
            else:
                messages.success(request, "The action is added to the plan")
                return redirect("assessments:finding", pk=finding.pk)
    return _finding_page(
        request, access, finding, form, can_plan, forms.ResolveForm()
    )


def _finding_page(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    access: Access,
    finding,
    form,
    can_plan: bool,
    resolve_form,
) -> HttpResponse:
    return render(
        request,
        "controls/assessments/finding.html",
        {
            "resolve_form": resolve_form,
            "can_resolve": finding.status == FindingStatus.OPEN
            and access.has_role(
                services.ASSESSMENT_RUNNERS, finding.organisation
            ),
            "finding": finding,
            "tag": result_tag(finding.result),
            "answer": finding.answer,
            "actions": selectors.finding_actions(
                access=access, finding=finding
            ),
            "form": form,
            "can_plan": can_plan,
        },
    )


@login_required
@require_POST
def finding_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    finding = selectors.finding_get(access=access, pk=pk)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.finding_resolve(
                access=access, finding=finding, note=form.cleaned_data["note"]
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, "The finding is resolved")
            return redirect("assessments:finding", pk=finding.pk)
    org = finding.organisation
    owners = selectors.action_owners(access=access, organisation=org)
    return _finding_page(
        request,
        access,
        finding,
        forms.ActionForm(owners=[(str(u.pk), u.full_name) for u in owners]),
        selectors.can_plan_actions(access=access, organisation=org),
        form,
    )


# --- Positions and trends -------------------------------------------------


def _framework_choice(
    request: HttpRequest, access: Access
) -> tuple[str, list[tuple[str, str]]]:
    frameworks = _frameworks(access)
    slugs = {s for s, _ in frameworks}
    chosen = request.GET.get("framework", "dhp2008")
    if chosen not in slugs:
        chosen = "dhp2008" if "dhp2008" in slugs else next(iter(slugs), "")
    return chosen, frameworks


@login_required
def organisation_position(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's scores across periods (its own assessments) and,
    for the chosen period, every organisation in its subtree: what a
    department's SIRO sees."""
    access = _access(request)
    organisation = org_selectors.organisation_get(access=access, code=code)
    if not selectors.can_read_assessments(access):
        raise Forbidden(selectors.READERS_ONLY)
    framework, frameworks = _framework_choice(request, access)
    trend = selectors.organisation_trend(
        access=access, organisation=organisation, framework=framework
    )
    known = [p for p in selectors.assessment_periods(access=access)]
    period = request.GET.get("period") or (
        trend[-1].assessment.period if trend else (known[0] if known else "")
    )
    subtree = (
        selectors.subtree_position(
            access=access,
            organisation=organisation,
            framework=framework,
            period=period,
        )
        if period
        else []
    )
    chart = (
        charts.trend_line(
            [(p.assessment.period, p.tally.score) for p in trend],
            title=f"Score of {organisation.name} by period",
        )
        if trend
        else ""
    )
    return render(
        request,
        "controls/assessments/position.html",
        {
            "organisation": organisation,
            "framework": framework,
            "frameworks": frameworks,
            "period": period,
            "periods": known,
            "trend": trend,
            "chart": chart,
            "requirements": selectors.requirement_trend(
                access=access, trend=trend
            ),
            "subtree": subtree,
            "rule": scoring.RULE,
            "tags": {r: result_tag(r) for r in TAG},
        },
    )


@login_required
def government(request: HttpRequest) -> HttpResponse:
    """Every department side by side: the consistency the review asks
    for. The central team only."""
    access = _reader(request)
    if not selectors.can_see_government(access):
        raise Forbidden("Only the central team sees every department")
    framework, frameworks = _framework_choice(request, access)
    known = selectors.assessment_periods(access=access)
    # Financial years first, as the headline; quarters if chosen.
    chosen = (
        request.GET.getlist("period")
        or [p for p in known if " Q" not in p][:3][::-1]
    )
    rows = selectors.government_position(
        access=access, framework=framework, periods=chosen
    )
    latest = chosen[-1] if chosen else ""

    def latest_score(r: selectors.GovernmentRow) -> int | None:
        c = r.cells[-1] if r.cells else None
        return c.tally.score if c and c.tally else None

    # Assessed departments first, best latest score first; then the rest.
    rows.sort(key=lambda r: (latest_score(r) is None, -(latest_score(r) or 0)))
    assessed = [r for r in rows if latest_score(r) is not None]
    chart = (
        charts.bars(
            [(r.department.name, latest_score(r)) for r in assessed],
            title=f"Score of each assessed department, {latest}",
        )
        if assessed
        else ""
    )
    return render(
        request,
        "controls/assessments/government.html",
        {
            "framework": framework,
            "frameworks": frameworks,
            "periods": chosen,
            "known": known,
            "latest": latest,
            "rows": rows,
            "chart": chart,
            "not_assessed": len(rows) - len(assessed),
            "rule": scoring.RULE,
            "requirements": selectors.requirement_scores(
                access=access, framework=framework, period=latest
            )
            if latest
            else [],
        },
    )
