"""Every read of the catalogue and of procedures, scoped to the viewer.

The catalogue is government-wide: every signed-in role but the
regulator's reads it. Procedures belong to an organisation and are seen
only within the viewer's reach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from steward.common.errors import Forbidden, NotFound
from steward.controls.models import (
    Answer,
    Assessment,
    Evidence,
    Finding,
    FindingStatus,
    Framework,
    FrameworkVersion,
    Mapping,
    Procedure,
    ProcedureLink,
    ProcedureStatus,
    Requirement,
    Result,
)
from steward.controls.scoring import Tally
from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role

CATALOGUE_READERS = (
    Role.SIRO,
    Role.IAO,
    Role.GUARDIAN,
    Role.STAFF,
    Role.CENTRAL,
)


def can_read_catalogue(access: Access) -> bool:
    return access.has_any(CATALOGUE_READERS)


def framework_list(*, access: Access) -> QuerySet[FrameworkVersion]:
    """The current version of every framework, with its size."""
    if not can_read_catalogue(access):
        return FrameworkVersion.objects.none()
    return (
        FrameworkVersion.objects.filter(is_current=True)
        .select_related("framework")
        .annotate(requirement_count=Count("requirements"))
        .order_by("framework__slug")
    )


def framework_version_get(
    *, access: Access, slug: str, version: str | None = None
) -> FrameworkVersion:
    """A framework's current version, or the one named: old versions stay
    readable after an upgrade."""
    if not can_read_catalogue(access):
        raise NotFound("framework")
    qs = FrameworkVersion.objects.select_related("framework").filter(
        framework__slug=slug
    )
    qs = qs.filter(version=version) if version else qs.filter(is_current=True)
    found = qs.first()
    if found is None:
        raise NotFound("framework")
    return found


def framework_versions(
    *, access: Access, framework: Framework
) -> QuerySet[FrameworkVersion]:
    if not can_read_catalogue(access):
        return FrameworkVersion.objects.none()
    return framework.versions.all()


def requirement_list(
    *, access: Access, version: FrameworkVersion
) -> QuerySet[Requirement]:
    if not can_read_catalogue(access):
        return Requirement.objects.none()
    return version.requirements.select_related("parent").order_by("position")


@dataclass(frozen=True)
class MappingRow:
    source: Requirement
    target_urn: str
    relation: str
    target: Requirement | None  # in the target framework's current version


def mapping_list(
    *, access: Access, version: FrameworkVersion
) -> list[MappingRow]:
    """Mappings from this version's requirements and to them from other
    frameworks, each resolved against the other side's current version."""
    if not can_read_catalogue(access):
        return []
    urns = list(version.requirements.values_list("urn", flat=True))
    maps = (
        Mapping.objects.filter(
            Q(source__version=version)
            | Q(target_urn__in=urns, source__version__is_current=True)
        )
        .select_related("source", "source__version__framework")
        .order_by("source__position", "target_urn")
    )
    targets = {
        r.urn: r
        for r in Requirement.objects.filter(
            urn__in={m.target_urn for m in maps}, version__is_current=True
        ).select_related("version__framework")
    }
    own = {r.urn: r for r in version.requirements.all()}
    rows = []
    for m in maps:
        if m.source.version_id == version.pk:
            rows.append(
                MappingRow(
                    m.source,
                    m.target_urn,
                    m.relation,
                    targets.get(m.target_urn),
                )
            )
        else:
            # A mapping into this framework, shown from this side.
            rows.append(
                MappingRow(
                    own[m.target_urn],
                    m.source.urn,
                    m.relation,
                    m.source,
                )
            )
    return rows


def procedure_list(
    *, access: Access, organisation: Organisation | None = None
) -> QuerySet[Procedure]:
    qs = Procedure.objects.filter(
        access.visible_q("organisation__")
    ).select_related("organisation", "owner")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.prefetch_related("links")


def procedure_get(*, access: Access, pk: int) -> Procedure:
    try:
        return procedure_list(access=access).get(pk=pk)
    except Procedure.DoesNotExist:
        raise NotFound("procedure") from None


@dataclass(frozen=True)
class Coverage:
    organisation: Organisation
    mandatory: list[Requirement]
    uncovered: list[Requirement]
    overdue: list[Procedure]
    current: list[Procedure]
    today: dt.date

    @property
    def covered_count(self) -> int:
        return len(self.mandatory) - len(self.uncovered)


def procedure_coverage(
    *, access: Access, organisation: Organisation
) -> Coverage:
    """Which mandatory requirements of the current catalogue have no
    current, in-date procedure in this organisation, and which of its
    procedures are overdue review. Four queries, whatever the sizes."""
    if not Organisation.objects.filter(
        access.visible_q(), pk=organisation.pk
    ).exists():
        raise NotFound("organisation")
    today = timezone.localdate()
    current = list(
        Procedure.objects.filter(
            organisation=organisation, status=ProcedureStatus.CURRENT
        )
        .select_related("organisation", "owner")
        .order_by("next_review", "pk")
    )
    in_date = [p.pk for p in current if p.next_review >= today]
    covered = set(
        ProcedureLink.objects.filter(procedure_id__in=in_date).values_list(
            "urn", flat=True
        )
    )
    mandatory = list(
        Requirement.objects.filter(version__is_current=True, mandatory=True)
        .select_related("version__framework")
        .order_by("version__framework__slug", "position")
    )
    return Coverage(
        organisation=organisation,
        mandatory=mandatory,
        uncovered=[r for r in mandatory if r.urn not in covered],
        overdue=[p for p in current if p.next_review < today],
        current=current,
        today=today,
    )


# --- Assessments ----------------------------------------------------------
#
# Department roles see the assessments of the organisations they reach;
# staff do not (they have nothing to answer); the central team sees every
# department's; the regulator none (unless another capability grants it).

ASSESSMENT_READERS = (Role.SIRO, Role.IAO, Role.GUARDIAN, Role.CENTRAL)


def can_read_assessments(access: Access) -> bool:
    return access.has_any(ASSESSMENT_READERS)


def _tally_annotations(prefix: str = "answers__") -> dict:
    r = f"{prefix}result"
    return {
        "n_total": Count(f"{prefix}pk", distinct=True),
        "n_met": Count(
            f"{prefix}pk", filter=Q(**{r: Result.MET}), distinct=True
        ),
        "n_partly": Count(
            f"{prefix}pk", filter=Q(**{r: Result.PARTLY_MET}), distinct=True
        ),
        "n_not_met": Count(
            f"{prefix}pk", filter=Q(**{r: Result.NOT_MET}), distinct=True
        ),
        "n_na": Count(
            f"{prefix}pk",
            filter=Q(**{r: Result.NOT_APPLICABLE}),
            distinct=True,
        ),
    }


def tally_of(row: Assessment) -> Tally:
    """The tally of an assessment annotated by ``assessment_list``."""
    return Tally(
        total=row.n_total,  # type: ignore[attr-defined]
        met=row.n_met,  # type: ignore[attr-defined]
        partly_met=row.n_partly,  # type: ignore[attr-defined]
        not_met=row.n_not_met,  # type: ignore[attr-defined]
        not_applicable=row.n_na,  # type: ignore[attr-defined]
    )


@dataclass(frozen=True)
class AssessmentFilters:
    search: str = ""
    framework: str = ""
    period: str = ""
    status: str = ""
    organisation: Organisation | None = None
    subtree: bool = True


def assessment_list(
    *, access: Access, filters: AssessmentFilters | None = None
) -> QuerySet[Assessment]:
    """Assessments the viewer can see, newest period first, each
    annotated with its tally (n_total, n_met, n_partly, n_not_met, n_na)
    in one query."""
    f = filters or AssessmentFilters()
    qs = Assessment.objects.filter(
        access.visible_q("organisation__", ASSESSMENT_READERS)
    )
    if f.search:
        qs = qs.filter(
            Q(organisation__name__icontains=f.search)
            | Q(organisation__code__iexact=f.search)
        )
    if f.framework:
        qs = qs.filter(framework__slug=f.framework)
    if f.period:
        qs = qs.filter(period=f.period)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.organisation is not None:
        qs = (
            qs.filter(organisation__path__startswith=f.organisation.path)
            if f.subtree
            else qs.filter(organisation=f.organisation)
        )
    return (
        qs.select_related("organisation", "framework", "version")
        .annotate(**_tally_annotations())
        .annotate(
            n_open_findings=Coalesce(
                Subquery(
                    Finding.objects.filter(
                        assessment=OuterRef("pk"), status=FindingStatus.OPEN
                    )
                    .order_by()
                    .values("assessment")
                    .annotate(c=Count("pk"))
                    .values("c")
                ),
                0,
            )
        )
        .order_by(
            "-period_start", "period", "organisation__path", "framework__slug"
        )
    )


READERS_ONLY = (
    "Assessments are for the SIRO, Information Asset Owners, Data "
    "Guardians and the central team"
)


def _hidden_or_forbidden(
    access: Access, qs: QuerySet, what: str, prefix: str = "organisation__"
) -> None:
    """A record the viewer cannot read: 403 when it is in their reach but
    their role does not read assessments, 404 (not revealed) otherwise."""
    if qs.filter(access.visible_q(prefix)).exists():
        raise Forbidden(READERS_ONLY)
    raise NotFound(what)


def assessment_get(*, access: Access, pk: int) -> Assessment:
    try:
        return assessment_list(access=access).get(pk=pk)
    except Assessment.DoesNotExist:
        _hidden_or_forbidden(
            access, Assessment.objects.filter(pk=pk), "assessment"
        )
        raise


def assessment_periods(*, access: Access) -> list[str]:
    """The periods of the assessments the viewer can see, newest first."""
    return list(
        Assessment.objects.filter(
            access.visible_q("organisation__", ASSESSMENT_READERS)
        )
        .order_by("-period_start", "period")
        .values_list("period", flat=True)
        .distinct()
    )


@dataclass
class AnswerGroup:
    parent: Requirement | None
    answers: list[Answer]


def answer_list(*, access: Access, assessment: Assessment) -> list[Answer]:
    """The assessment's answers in catalogue order, with their requirement,
    live evidence and finding (the assessment must come from
    ``assessment_get``)."""
    if not can_read_assessments(access):
        return []
    from django.db.models import Prefetch

    return list(
        assessment.answers.select_related(
            "requirement", "requirement__parent", "answered_by", "finding"
        )
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(withdrawn_at__isnull=True),
                to_attr="live_evidence",
            )
        )
        .order_by("requirement__position")
    )


def answer_groups(answers: list[Answer]) -> list[AnswerGroup]:
    """Answers grouped under their parent requirement (section, theme,
    principle), in order."""
    groups: list[AnswerGroup] = []
    for a in answers:
        parent = a.requirement.parent
        if not groups or groups[-1].parent != parent:
            groups.append(AnswerGroup(parent, []))
        groups[-1].answers.append(a)
    return groups


def answer_get(*, access: Access, assessment: Assessment, pk: int) -> Answer:
    found = next(
        (
            a
            for a in answer_list(access=access, assessment=assessment)
            if a.pk == pk
        ),
        None,
    )
    if found is None:
        raise NotFound("answer")
    return found


def evidence_get(*, access: Access, pk: int) -> Evidence:
    try:
        return Evidence.objects.select_related(
            "answer__assessment__organisation", "answer__requirement"
        ).get(
            access.visible_q(
                "answer__assessment__organisation__", ASSESSMENT_READERS
            ),
            pk=pk,
        )
    except Evidence.DoesNotExist:
        _hidden_or_forbidden(
            access,
            Evidence.objects.filter(pk=pk),
            "evidence",
            "answer__assessment__organisation__",
        )
        raise


@dataclass(frozen=True)
class FindingFilters:
    search: str = ""
    status: str = ""
    result: str = ""
    period: str = ""


def finding_list(
    *, access: Access, filters: FindingFilters | None = None
) -> QuerySet[Finding]:
    f = filters or FindingFilters()
    qs = Finding.objects.filter(
        access.visible_q("organisation__", ASSESSMENT_READERS)
    )
    if f.search:
        qs = qs.filter(
            Q(organisation__name__icontains=f.search)
            | Q(requirement__title__icontains=f.search)
            | Q(requirement__ref__iexact=f.search)
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.result:
        qs = qs.filter(result=f.result)
    if f.period:
        qs = qs.filter(assessment__period=f.period)
    return qs.select_related(
        "organisation", "requirement", "assessment__framework", "answer"
    ).order_by(
        "status",
        "-assessment__period_start",
        "organisation__path",
        "requirement__position",
    )


def finding_get(*, access: Access, pk: int) -> Finding:
    try:
        return finding_list(access=access).get(pk=pk)
    except Finding.DoesNotExist:
        _hidden_or_forbidden(access, Finding.objects.filter(pk=pk), "finding")
        raise


# --- Scores and trends ----------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    assessment: Assessment
    tally: Tally


def organisation_trend(
    *, access: Access, organisation: Organisation, framework: str
) -> list[TrendPoint]:
    """The organisation's own assessments against one framework, oldest
    period first (versions may differ from period to period)."""
    qs = assessment_list(
        access=access,
        filters=AssessmentFilters(
            framework=framework, organisation=organisation, subtree=False
        ),
    ).order_by("period_start", "period")
    return [TrendPoint(a, tally_of(a)) for a in qs]


@dataclass(frozen=True)
class RequirementRow:
    urn: str
    ref: str
    title: str
    results: list[str]  # one per period, "" when not assessed
    tally: Tally


def requirement_trend(
    *, access: Access, trend: list[TrendPoint]
) -> list[RequirementRow]:
    """Each requirement's result in each period of ``trend``, matched by
    URN across framework versions, with its score over those periods."""
    if not trend or not can_read_assessments(access):
        return []
    ids = [p.assessment.pk for p in trend]
    rows = Answer.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id",
        "requirement__urn",
        "requirement__ref",
        "requirement__title",
        "requirement__position",
        "result",
    )
    by_urn: dict[str, dict] = {}
    latest = trend[-1].assessment.pk
    for aid, urn, ref, title, position, result in rows:
        entry = by_urn.setdefault(
            urn,
            {"ref": ref, "title": title, "position": position, "results": {}},
        )
        entry["results"][aid] = result
        if aid == latest:
            entry.update(ref=ref, title=title, position=position)
    from steward.controls.scoring import tally

    out = []
    for urn, e in sorted(by_urn.items(), key=lambda kv: kv[1]["position"]):
        results = [e["results"].get(i, "") for i in ids]
        out.append(
            RequirementRow(
                urn,
                e["ref"],
                e["title"],
                results,
                tally(r for r in results if r),
            )
        )
    return out


@dataclass(frozen=True)
class SubtreeRow:
    organisation: Organisation
    assessment: Assessment | None
    tally: Tally | None


def subtree_position(
    *, access: Access, organisation: Organisation, framework: str, period: str
) -> list[SubtreeRow]:
    """Every organisation in the subtree with its assessment for the
    period (or none yet): a SIRO's view of their department."""
    if not can_read_assessments(access):
        raise NotFound("organisation")
    orgs = list(
        Organisation.objects.filter(
            access.visible_q(roles=ASSESSMENT_READERS),
            path__startswith=organisation.path,
            is_active=True,
        ).order_by("path")
    )
    found = {
        a.organisation_id: a
        for a in assessment_list(
            access=access,
            filters=AssessmentFilters(
                framework=framework, period=period, organisation=organisation
            ),
        )
    }
    return [
        SubtreeRow(
            o,
            found.get(o.pk),
            tally_of(found[o.pk]) if o.pk in found else None,
        )
        for o in orgs
    ]


@dataclass(frozen=True)
class GovernmentCell:
    assessment: Assessment | None
    tally: Tally | None
    open_actions: int = 0
    overdue_actions: int = 0


@dataclass(frozen=True)
class GovernmentRow:
    department: Organisation
    cells: list[GovernmentCell]  # one per period


def can_see_government(access: Access) -> bool:
    return access.has_any([Role.CENTRAL])


def government_position(
    *, access: Access, framework: str, periods: list[str]
) -> list[GovernmentRow]:
    """Every department side by side for each period: its own
    assessment's score, counts, open and overdue actions on its findings,
    and whether it is signed off. The central team only."""
    if not can_see_government(access):
        raise Forbidden("Only the central team sees every department")
    from steward.organisations.models import Kind

    departments = list(
        Organisation.objects.filter(
            access.visible_q(), kind=Kind.DEPARTMENT, is_active=True
        ).order_by("name")
    )
    found: dict[tuple[int, str], Assessment] = {}
    for a in assessment_list(
        access=access, filters=AssessmentFilters(framework=framework)
    ).filter(organisation__in=departments, period__in=periods):
        found[(a.organisation_id, a.period)] = a
    actions = _assessment_action_counts([a.pk for a in found.values()])
    rows = []
    for d in departments:
        cells = []
        for p in periods:
            a = found.get((d.pk, p))
            open_, overdue = actions.get(a.pk, (0, 0)) if a else (0, 0)
            cells.append(
                GovernmentCell(a, tally_of(a) if a else None, open_, overdue)
            )
        rows.append(GovernmentRow(d, cells))
    return rows


FINDING_SOURCE = "finding"


def finding_action_counts(
    finding_ids: list[int],
) -> dict[int, tuple[int, int]]:
    """(open, overdue) actions in the action plan of each finding (the
    shared ``steward.actions`` app, source kind "finding"). The findings
    must already be ones the viewer sees."""
    from steward.actions.models import OPEN_STATUSES, Action

    if not finding_ids:
        return {}
    today = timezone.localdate()
    out: dict[int, list[int]] = {}
    rows = Action.objects.filter(
        source_kind=FINDING_SOURCE,
        source_id__in=finding_ids,
        status__in=OPEN_STATUSES,
    ).values_list("source_id", "due")
    for source_id, due in rows:
        counts = out.setdefault(source_id, [0, 0])
        counts[0] += 1
        if due is not None and due < today:
            counts[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _assessment_action_counts(
    assessment_ids: list[int],
) -> dict[int, tuple[int, int]]:
    findings = dict(
        Finding.objects.filter(assessment_id__in=assessment_ids).values_list(
            "pk", "assessment_id"
        )
    )
    out: dict[int, tuple[int, int]] = {}
    for fid, (open_, overdue) in finding_action_counts(list(findings)).items():
        a = findings[fid]
        o, d = out.get(a, (0, 0))
        out[a] = (o + open_, d + overdue)
    return out


def finding_actions(*, access: Access, finding: Finding) -> list:
    """The finding's action plan (the finding must come from
    ``finding_get``)."""
    from steward.actions.selectors import actions_for_source

    return list(actions_for_source(access, FINDING_SOURCE, finding.pk))


def action_owners(*, access: Access, organisation: Organisation) -> list:
    """People who can own an action on the organisation's findings (the
    action plans' own rule)."""
    from steward.actions.permissions import eligible_owners

    if not can_read_assessments(access):
        return []
    return eligible_owners(organisation=organisation)


def can_plan_actions(*, access: Access, organisation: Organisation) -> bool:
    from steward.actions.permissions import can_plan

    return can_plan(access=access, organisation=organisation)


def requirement_scores(
    *, access: Access, framework: str, period: str
) -> list[RequirementRow]:
    """Per requirement, across every assessment the viewer sees for the
    period: how many organisations meet it, and its score."""
    ids = list(
        assessment_list(
            access=access,
            filters=AssessmentFilters(framework=framework, period=period),
        ).values_list("pk", flat=True)
    )
    rows = Answer.objects.filter(assessment_id__in=ids).values_list(
        "requirement__urn",
        "requirement__ref",
        "requirement__title",
        "requirement__position",
        "result",
    )
    from steward.controls.scoring import tally

    by: dict[str, dict] = {}
    for urn, ref, title, position, result in rows:
        e = by.setdefault(
            urn,
            {"ref": ref, "title": title, "position": position, "results": []},
        )
        e["results"].append(result)
    return [
        RequirementRow(
            urn,
            e["ref"],
            e["title"],
            e["results"],
            tally(e["results"]),
        )
        for urn, e in sorted(by.items(), key=lambda kv: kv[1]["position"])
    ]
