"""Every write to the catalogue and to organisations' procedures.

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only, required) and records one audit event. The
catalogue is government-wide: only the central team (or the system actor
``system_access("catalogue-loader")``) loads it. A loaded framework version
is never changed or deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from steward.accounts.models import User
from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.controls.models import (
    Answer,
    AnswerSource,
    Assessment,
    AssessmentStatus,
    CheckRun,
    Evidence,
    EvidenceKind,
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
from steward.controls.schema import FrameworkFile
from steward.organisations.access import Access
from steward.organisations.models import Membership, Organisation, Role

# Who keeps an organisation's procedures.
PROCEDURE_KEEPERS = (Role.SIRO, Role.GUARDIAN, Role.CENTRAL)


@dataclass(frozen=True)
class LoadResult:
    version: FrameworkVersion
    created: bool


@transaction.atomic
def catalogue_load(*, access: Access, spec: FrameworkFile) -> LoadResult:
    """Install one framework version from its data file, or confirm that it
    is already installed. A new version is added beside the old ones and
    becomes current; the old rows are untouched, so whatever was recorded
    against them stays readable. Different content under a version already
    loaded is refused: give the file a new version instead."""
    if not access.has_any([Role.CENTRAL]):
        raise Forbidden("Only the central team loads the catalogue")
    info = spec.framework
    framework, _ = Framework.objects.select_for_update().get_or_create(
        slug=info.slug,
        defaults={"title": info.title, "publisher": info.publisher},
    )
    existing = FrameworkVersion.objects.filter(
        framework=framework, version=info.version
    ).first()
    if existing is not None:
        if existing.digest != spec.digest:
            raise Invalid(
                {
                    "version": (
                        f"{info.slug} {info.version} is already loaded with "
                        "different content; give the file a new version"
                    )
                }
            )
        created = False
        version = existing
        action = "catalogue.confirm"
    else:
        framework.versions.filter(is_current=True).update(is_current=False)
        framework.title = info.title
        framework.publisher = info.publisher
        framework.save(update_fields=["title", "publisher"])
        version = FrameworkVersion.objects.create(
            framework=framework,
            version=info.version,
            title=info.title,
            published=info.published,
            source=info.source,
            licence=info.licence,
            digest=spec.digest,
            is_current=True,
            loaded_at=timezone.now(),
        )
        _create_requirements(version, spec)
        created = True
        action = "catalogue.load"
    audit_record(
        actor_id=access.actor_id,
        action=action,
        obj=version,
        organisation_id=None,
        details={
            "framework": info.slug,
            "version": info.version,
            "digest": spec.digest,
            "requirements": len(spec.requirements),
        },
    )
    return LoadResult(version=version, created=created)


def _create_requirements(
    version: FrameworkVersion, spec: FrameworkFile
) -> None:
    by_urn: dict[str, Requirement] = {}
    # Parents precede children in the file (the schema checks it), so one
    # pass creates each row with its parent already saved.
    for position, item in enumerate(spec.requirements):
        by_urn[item.urn] = Requirement.objects.create(
            version=version,
            urn=item.urn,
            ref=item.ref,
            kind=item.kind,
            title=item.title,
            text=item.text,
            source=item.source,
            mandatory=item.mandatory,
            parent=by_urn[item.parent] if item.parent else None,
            position=position,
        )
    Mapping.objects.bulk_create(
        Mapping(
            source=by_urn[m.source], target_urn=m.target, relation=m.relation
        )
        for m in spec.mappings
    )


def _check_keeper(access: Access, organisation: Organisation) -> None:
    if not access.has_role(PROCEDURE_KEEPERS, organisation):
        raise Forbidden("Only a SIRO or Data Guardian keeps procedures")


def _clean(
    *, title: str, version: str, next_review: dt.date | None, urns: list[str]
) -> list[str]:
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the procedure's title"
    if not version.strip():
        errors["version"] = "Enter the procedure's version, like 1.0"
    if next_review is None:
        errors["next_review"] = "Enter the date of the next review"
    wanted = sorted(set(urns))
    known = set(
        Requirement.objects.filter(urn__in=wanted).values_list(
            "urn", flat=True
        )
    )
    unknown = [u for u in wanted if u not in known]
    if unknown:
        errors["requirements"] = "No such requirement: " + ", ".join(unknown)
    if errors:
        raise Invalid(errors)
    return wanted


def _check_owner(owner: User, organisation: Organisation) -> None:
    department = organisation.department() or organisation
    in_tree = Membership.objects.filter(
        user=owner,
        revoked_at__isnull=True,
        organisation__path__startswith=department.path,
    ).exists()
    if not in_tree:
        raise Invalid({"owner": "The owner must work in this department"})


@transaction.atomic
def procedure_create(
    *,
    access: Access,
    organisation: Organisation,
    title: str,
    version: str,
    owner: User,
    next_review: dt.date | None,
    requirement_urns: list[str],
    document_url: str = "",
) -> Procedure:
    """Record a procedure document and the requirements it implements."""
    _check_keeper(access, organisation)
    urns = _clean(
        title=title,
        version=version,
        next_review=next_review,
        urns=requirement_urns,
    )
    _check_owner(owner, organisation)
    now = timezone.now()
    procedure = Procedure.objects.create(
        organisation=organisation,
        title=title.strip(),
        version=version.strip(),
        owner=owner,
        next_review=next_review,
        document_url=document_url,
        created_at=now,
        updated_at=now,
    )
    ProcedureLink.objects.bulk_create(
        ProcedureLink(procedure=procedure, urn=u) for u in urns
    )
    audit_record(
        actor_id=access.actor_id,
        action="procedure.create",
        obj=procedure,
        organisation_id=organisation.pk,
        details={"requirements": len(urns), "version": procedure.version},
    )
    return procedure


@transaction.atomic
def procedure_review(
    *,
    access: Access,
    procedure: Procedure,
    version: str,
    next_review: dt.date | None,
) -> Procedure:
    """Record that a procedure was reviewed: its new version and the date
    of its next review."""
    _check_keeper(access, procedure.organisation)
    _clean(
        title=procedure.title,
        version=version,
        next_review=next_review,
        urns=[],
    )
    assert next_review is not None
    if next_review <= timezone.localdate():
        raise Invalid({"next_review": "The next review must be in the future"})
    procedure.version = version.strip()
    procedure.next_review = next_review
    procedure.updated_at = timezone.now()
    procedure.save(update_fields=["version", "next_review", "updated_at"])
    audit_record(
        actor_id=access.actor_id,
        action="procedure.review",
        obj=procedure,
        organisation_id=procedure.organisation_id,
        details={"version": procedure.version},
    )
    return procedure


@transaction.atomic
def procedure_withdraw(*, access: Access, procedure: Procedure) -> Procedure:
    """Withdraw a procedure: it is kept, but no longer covers anything."""
    _check_keeper(access, procedure.organisation)
    if procedure.status == ProcedureStatus.WITHDRAWN:
        raise Invalid({"status": "The procedure is already withdrawn"})
    procedure.status = ProcedureStatus.WITHDRAWN
    procedure.updated_at = timezone.now()
    procedure.save(update_fields=["status", "updated_at"])
    audit_record(
        actor_id=access.actor_id,
        action="procedure.withdraw",
        obj=procedure,
        organisation_id=procedure.organisation_id,
    )
    return procedure


# --- Assessments ----------------------------------------------------------
#
# Who does what (each within their reach):
#   start and recompute the checks: the SIRO or a Data Guardian
#   answer and add evidence: the SIRO, an Information Asset Owner or a
#     Data Guardian
#   sign off: the SIRO of the organisation or of one above it
# After sign-off nothing about the assessment changes.

ASSESSMENT_RUNNERS = (Role.SIRO, Role.GUARDIAN)
ASSESSMENT_ANSWERERS = (Role.SIRO, Role.IAO, Role.GUARDIAN)
ASSESSMENT_SIGNERS = (Role.SIRO,)


def _user(access: Access) -> User | None:
    if access.user_id is None:
        return None
    return User.objects.filter(pk=access.user_id).first()


def _open(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.SIGNED_OFF:
        raise Forbidden(
            "The assessment is signed off: it can be read but not changed"
        )


def _assessable(version: FrameworkVersion) -> list[Requirement]:
    """The requirements an assessment answers: those with no children."""
    return list(
        version.requirements.filter(children__isnull=True).order_by("position")
    )


def _check_scope(organisation: Organisation) -> Access:
    """The checks see exactly the organisation's subtree, whoever runs
    them, so that the same records give the same figures."""
    from steward.organisations.access import Grant

    return Access(
        actor_id="system:assessment-checks",
        actor_label="assessment checks",
        grants=(Grant(Role.GUARDIAN, organisation.pk, organisation.path),),
    )


def _run_checks(
    assessment: Assessment, by: User | None, now: dt.datetime
) -> tuple[CheckRun, int]:
    """Run every check that evidences one of the assessment's
    requirements, keep the results as a check run, set the automated
    answers from them and open or resolve their findings. Returns the run
    and how many automated answers changed."""
    from steward.controls import checks as registry
    from steward.controls import scoring

    answers = {
        a.requirement.urn: a
        for a in assessment.answers.select_related("requirement").filter(
            source=AnswerSource.AUTOMATED
        )
    }
    scope = _check_scope(assessment.organisation)
    results: dict[str, dict] = {}
    for name, chk in sorted(registry.REGISTRY.items()):
        urns = [u for u in chk.requirements if u in answers]
        if not urns:
            continue
        r = chk.run(scope, assessment.organisation)
        results[name] = {
            "title": chk.title,
            "outcome": r.outcome,
            "applicable": r.applicable,
            "failing": r.failing,
            "summary": r.summary,
            "links": dict(r.links),
            "requirements": urns,
        }
    number = (
        assessment.check_runs.order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    run = CheckRun.objects.create(
        assessment=assessment,
        number=number,
        run_at=now,
        run_by=by,
        results=results,
    )
    changed = 0
    for urn, answer in answers.items():
        figures = [
            {"check": n, **res}
            for n, res in results.items()
            if urn in res["requirements"]
        ]
        result = scoring.combine(f["outcome"] for f in figures)
        if answer.result != result:
            changed += 1
        answer.result = result
        answer.figures = figures
        answer.check_run = run
        answer.answered_at = now
        answer.answered_by = None
        answer.save(
            update_fields=[
                "result",
                "figures",
                "check_run",
                "answered_at",
                "answered_by",
            ]
        )
        _sync_finding(answer, now)
    assessment.checks_run_at = now
    assessment.save(update_fields=["checks_run_at"])
    return run, changed


def _sync_finding(answer: Answer, now: dt.datetime) -> Finding | None:
    """Open (or reopen) the answer's finding when it is not met or partly
    met; resolve it when it no longer is. Findings are never deleted."""
    from steward.controls.scoring import FAILING

    finding = Finding.objects.filter(answer=answer).first()
    if answer.result in FAILING:
        if finding is None:
            return Finding.objects.create(
                assessment=answer.assessment,
                answer=answer,
                organisation=answer.assessment.organisation,
                requirement=answer.requirement,
                result=answer.result,
                opened_at=now,
            )
        finding.result = answer.result
        if finding.status != FindingStatus.OPEN:
            finding.status = FindingStatus.OPEN
            finding.resolved_at = None
            finding.resolved_by = None
            finding.resolution = ""
        finding.save(
            update_fields=[
                "result",
                "status",
                "resolved_at",
                "resolved_by",
                "resolution",
            ]
        )
        return finding
    if finding is not None and finding.status == FindingStatus.OPEN:
        finding.status = FindingStatus.RESOLVED
        finding.resolved_at = now
        finding.save(update_fields=["status", "resolved_at"])
    return finding


@transaction.atomic
def assessment_start(
    *,
    access: Access,
    organisation: Organisation,
    version: FrameworkVersion,
    period: str,
) -> Assessment:
    """Start an organisation's assessment against a framework version for
    a period: one answer per requirement, those that checks evidence
    computed at once (the first check run), the rest left for people."""
    from steward.controls import checks as registry
    from steward.controls import periods

    if not access.has_role(ASSESSMENT_RUNNERS, organisation):
        raise Forbidden("Only the SIRO or a Data Guardian starts assessments")
    p = periods.parse(period)
    if Assessment.objects.filter(
        organisation=organisation,
        framework_id=version.framework_id,
        period=p.code,
    ).exists():
        raise Invalid(
            {
                "period": f"{organisation.name} already has a "
                f"{version.framework.slug} assessment for {p.code}"
            }
        )
    requirements = _assessable(version)
    if not requirements:
        raise Invalid({"framework": "This framework has no requirements"})
    now = timezone.now()
    by = _user(access)
    assessment = Assessment.objects.create(
        organisation=organisation,
        framework_id=version.framework_id,
        version=version,
        period=p.code,
        period_start=p.start,
        period_end=p.end,
        started_by=by,
        started_at=now,
    )
    automated = {u for c in registry.REGISTRY.values() for u in c.requirements}
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            requirement=r,
            source=AnswerSource.AUTOMATED
            if r.urn in automated
            else AnswerSource.MANUAL,
        )
        for r in requirements
    )
    run, _ = _run_checks(assessment, by, now)
    audit_record(
        actor_id=access.actor_id,
        action="assessment.start",
        obj=assessment,
        organisation_id=organisation.pk,
        details={
            "framework": version.framework.slug,
            "version": version.version,
            "period": p.code,
            "requirements": len(requirements),
            "checks": len(run.results),
        },
    )
    return assessment


@transaction.atomic
def assessment_recompute(
    *, access: Access, assessment: Assessment
) -> CheckRun:
    """Run the checks again: a new check run is kept beside the earlier
    ones, and the automated answers and their findings follow it."""
    if not access.has_role(ASSESSMENT_RUNNERS, assessment.organisation):
        raise Forbidden("Only the SIRO or a Data Guardian runs the checks")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _open(assessment)
    run, changed = _run_checks(assessment, _user(access), timezone.now())
    audit_record(
        actor_id=access.actor_id,
        action="assessment.recompute",
        obj=assessment,
        organisation_id=assessment.organisation_id,
        details={
            "run": run.number,
            "checks": len(run.results),
            "changed": changed,
        },
    )
    return run


@dataclass(frozen=True)
class LinkIn:
    url: str
    title: str = ""


def _clean_link(link: LinkIn, field: str = "link") -> LinkIn:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    url = link.url.strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise Invalid(
            {field: "Enter a link that starts with https://"}
        ) from None
    if len(url) > 500:
        raise Invalid({field: "The link must be 500 characters or fewer"})
    return LinkIn(url=url, title=(link.title.strip() or url)[:200])


def _add_evidence(
    answer: Answer,
    *,
    files: list,
    links: list[LinkIn],
    observed_on: dt.date | None,
    by: User | None,
    now: dt.datetime,
) -> list[Evidence]:
    from django.core.files.base import ContentFile

    from steward.controls.evidence import CheckedFile

    added = []
    for link in links:
        added.append(
            Evidence.objects.create(
                answer=answer,
                kind=EvidenceKind.LINK,
                title=link.title,
                url=link.url,
                observed_on=observed_on,
                added_by=by,
                added_at=now,
            )
        )
    for f in files:
        checked: CheckedFile = f
        item = Evidence(
            answer=answer,
            kind=EvidenceKind.FILE,
            title=checked.filename,
            filename=checked.filename,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            observed_on=observed_on,
            added_by=by,
            added_at=now,
        )
        item.file.save(
            f"evidence.{checked.suffix}", ContentFile(checked.data), save=False
        )
        item.save()
        added.append(item)
    return added


def _answerable(access: Access, answer: Answer) -> Assessment:
    # Read afresh and locked: a sign-off in between must win.
    assessment = Assessment.objects.select_for_update().get(
        pk=answer.assessment_id
    )
    answer.assessment = assessment
    if not access.has_role(ASSESSMENT_ANSWERERS, assessment.organisation):
        raise Forbidden(
            "Only the SIRO, an Information Asset Owner or a Data Guardian "
            "answers the assessment"
        )
    _open(assessment)
    return assessment


@transaction.atomic
def answer_record(
    *,
    access: Access,
    answer: Answer,
    result: str,
    note: str,
    files: list | None = None,
    links: list[LinkIn] | None = None,
    observed_on: dt.date | None = None,
) -> Answer:
    """A person's answer to a requirement no check evidences: the result,
    a note saying why, and any evidence (checked files from
    ``steward.controls.evidence.check_file``, links)."""
    assessment = _answerable(access, answer)
    if answer.source != AnswerSource.MANUAL:
        raise Invalid(
            {
                "result": "Automated checks answer this requirement; run "
                "the checks again to update it"
            }
        )
    errors = {}
    if result not in Result.values:
        errors["result"] = "Choose met, partly met, not met or not applicable"
    if not note.strip():
        errors["note"] = "Say how the requirement is met, or why not"
    elif len(note) > 5000:
        errors["note"] = "The note must be 5,000 characters or fewer"
    if errors:
        raise Invalid(errors)
    clean_links = [_clean_link(x) for x in links or []]
    now = timezone.now()
    answer.result = result
    answer.note = note.strip()
    answer.answered_by = _user(access)
    answer.answered_at = now
    answer.save(update_fields=["result", "note", "answered_by", "answered_at"])
    added = _add_evidence(
        answer,
        files=list(files or []),
        links=clean_links,
        observed_on=observed_on,
        by=answer.answered_by,
        now=now,
    )
    finding = _sync_finding(answer, now)
    audit_record(
        actor_id=access.actor_id,
        action="assessment.answer",
        obj=answer,
        organisation_id=assessment.organisation_id,
        details={
            "assessment": assessment.pk,
            "requirement": answer.requirement.urn,
            "result": result,
            "evidence": len(added),
            "finding": finding.pk if finding else None,
        },
    )
    return answer


@transaction.atomic
def evidence_add(
    *,
    access: Access,
    answer: Answer,
    files: list | None = None,
    links: list[LinkIn] | None = None,
    observed_on: dt.date | None = None,
) -> list[Evidence]:
    """Add evidence to any answer, manual or automated."""
    assessment = _answerable(access, answer)
    clean_links = [_clean_link(x) for x in links or []]
    if not clean_links and not files:
        raise Invalid({"file": "Choose a file or enter a link"})
    added = _add_evidence(
        answer,
        files=list(files or []),
        links=clean_links,
        observed_on=observed_on,
        by=_user(access),
        now=timezone.now(),
    )
    audit_record(
        actor_id=access.actor_id,
        action="assessment.evidence",
        obj=answer,
        organisation_id=assessment.organisation_id,
        details={
            "assessment": assessment.pk,
            "added": len(added),
            "digests": ",".join(e.sha256[:16] for e in added if e.sha256)[
                :200
            ],
        },
    )
    return added


@transaction.atomic
def evidence_withdraw(*, access: Access, evidence: Evidence) -> Evidence:
    """Withdraw evidence put forward by mistake: it is kept, marked
    withdrawn with who and when, and no longer listed as evidence."""
    assessment = _answerable(access, evidence.answer)
    if evidence.withdrawn_at is not None:
        raise Invalid({"evidence": "The evidence is already withdrawn"})
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = _user(access)
    evidence.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor_id=access.actor_id,
        action="assessment.evidence_withdraw",
        obj=evidence,
        organisation_id=assessment.organisation_id,
        details={"assessment": assessment.pk, "kind": evidence.kind},
    )
    return evidence


@transaction.atomic
def assessment_sign_off(
    *, access: Access, assessment: Assessment, note: str = ""
) -> Assessment:
    """The SIRO's sign-off: every requirement must have a result. After
    it, the assessment, its answers and evidence are read-only."""
    if not access.has_role(ASSESSMENT_SIGNERS, assessment.organisation):
        raise Forbidden(
            "Only the SIRO of the organisation, or of one above it, signs "
            "off an assessment"
        )
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _open(assessment)
    unanswered = assessment.answers.filter(result="").count()
    if unanswered:
        raise Invalid(
            {
                "answers": f"{unanswered} requirement"
                f"{'s are' if unanswered != 1 else ' is'} not answered yet"
            }
        )
    if len(note) > 5000:
        raise Invalid({"note": "The note must be 5,000 characters or fewer"})
    assessment.status = AssessmentStatus.SIGNED_OFF
    assessment.signed_off_by = _user(access)
    assessment.signed_off_at = timezone.now()
    assessment.sign_off_note = note.strip()
    assessment.save(
        update_fields=[
            "status",
            "signed_off_by",
            "signed_off_at",
            "sign_off_note",
        ]
    )
    open_findings = assessment.findings.filter(
        status=FindingStatus.OPEN
    ).count()
    audit_record(
        actor_id=access.actor_id,
        action="assessment.sign_off",
        obj=assessment,
        organisation_id=assessment.organisation_id,
        details={"period": assessment.period, "findings": open_findings},
    )
    return assessment


@transaction.atomic
def finding_resolve(*, access: Access, finding: Finding, note: str) -> Finding:
    """Record that a finding is put right, once its action plan is done
    (every action done or cancelled). Allowed after sign-off: findings are
    the follow-up of an assessment, not part of its answers."""
    from steward.actions.models import OPEN_STATUSES, Action

    if not access.has_role(ASSESSMENT_RUNNERS, finding.organisation):
        raise Forbidden("Only the SIRO or a Data Guardian resolves findings")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.OPEN:
        raise Invalid({"note": "The finding is already resolved"})
    errors = {}
    if not note.strip():
        errors["note"] = "Say how the finding was put right"
    elif len(note) > 5000:
        errors["note"] = "The note must be 5,000 characters or fewer"
    still_open = Action.objects.filter(
        source_kind="finding", source_id=finding.pk, status__in=OPEN_STATUSES
    ).count()
    if still_open:
        errors["actions"] = (
            f"{still_open} action{'s are' if still_open != 1 else ' is'} "
            "still open: finish or cancel them first"
        )
    if errors:
        raise Invalid(errors)
    finding.status = FindingStatus.RESOLVED
    finding.resolved_at = timezone.now()
    finding.resolved_by = _user(access)
    finding.resolution = note.strip()
    finding.save(
        update_fields=["status", "resolved_at", "resolved_by", "resolution"]
    )
    audit_record(
        actor_id=access.actor_id,
        action="finding.resolve",
        obj=finding,
        organisation_id=finding.organisation_id,
        details={"assessment": finding.assessment_id},
    )
    return finding
