"""Automated checks: policy as code.

A check is one function, registered with ``@check``, bound to the
requirements it evidences. It takes the viewer's access and an
organisation, counts the records in that organisation's subtree that the
rule applies to and those that fail it, and returns a ``Result`` with the
figures and links to the failing records. Every check runs a fixed number
of queries, whatever the number of assets (aggregates, not loops).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from steward.assets.models import Asset, BackupMedium, Status
from steward.common.errors import NotFound
from steward.controls.models import (
    Assessment,
    AssessmentStatus,
    ProcedureLink,
    ProcedureStatus,
    Requirement,
)
from steward.controls.periods import year_of
from steward.organisations.access import Access
from steward.organisations.models import Kind, Membership, Organisation, Role


class Outcome:
    MET = "met"
    PARTLY_MET = "partly met"
    NOT_MET = "not met"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Result:
    outcome: str
    applicable: int
    failing: int
    summary: str
    links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    requirements: tuple[str, ...]
    run: Callable[[Access, Organisation], Result]


REGISTRY: dict[str, Check] = {}


def check(
    name: str, *, title: str, requirements: tuple[str, ...]
) -> Callable[
    [Callable[[Access, Organisation], Result]], Callable[..., Result]
]:
    def register(fn: Callable[[Access, Organisation], Result]):  # type: ignore[no-untyped-def]
        if name in REGISTRY:
            raise ValueError(f"check {name!r} is registered twice")
        REGISTRY[name] = Check(name, title, requirements, fn)
        return fn

    return register


def outcome(applicable: int, failing: int) -> str:
    if applicable == 0:
        return Outcome.NOT_APPLICABLE
    if failing == 0:
        return Outcome.MET
    if failing == applicable:
        return Outcome.NOT_MET
    return Outcome.PARTLY_MET


def _result(
    applicable: int, failing: int, summary: str, links: dict[str, str]
) -> Result:
    return Result(
        outcome=outcome(applicable, failing),
        applicable=applicable,
        failing=failing,
        summary=summary,
        links=links,
    )


def run_check(
    name: str, *, access: Access, organisation: Organisation
) -> Result:
    if not Organisation.objects.filter(
        access.visible_q(), pk=organisation.pk
    ).exists():
        raise NotFound("organisation")
    return REGISTRY[name].run(access, organisation)


def _visible_paths(access: Access, organisation: Organisation) -> dict:
    """{pk: path} of the organisations in the subtree the viewer sees: a
    few hundred at most. Filtering assets by ``organisation_id IN (...)``
    lets the database use the register's indexes (as the register's own
    list does)."""
    return dict(
        Organisation.objects.filter(
            access.visible_q(), path__startswith=organisation.path
        ).values_list("pk", "path")
    )


def _ppd_assets(access: Access, organisation: Organisation):  # type: ignore[no-untyped-def]
    return Asset.objects.filter(
        organisation_id__in=list(_visible_paths(access, organisation)),
        status=Status.ACTIVE,
        is_ppd=True,
    )


def _asset_result(
    access: Access,
    organisation: Organisation,
    failing: Q,
    what: str,
    link: str,
) -> Result:
    counts = _ppd_assets(access, organisation).aggregate(
        applicable=Count("pk"), failing=Count("pk", filter=failing)
    )
    a, f = counts["applicable"], counts["failing"]
    return _result(
        a,
        f,
        f"{f} of {a} protected personal data assets {what}",
        {
            "failing": reverse("assets:list")
            + f"?organisation={organisation.code}&ppd=yes{link}"
        },
    )


def _iao_paths(owner_ids: set[int]) -> dict[int, list[str]]:
    """Where each of these people holds a current IAO role: a role
    reaches its organisation's subtree."""
    out: dict[int, list[str]] = {}
    for user_id, path in Membership.objects.filter(
        user_id__in=sorted(owner_ids),
        role=Role.IAO,
        revoked_at__isnull=True,
        organisation__is_active=True,
    ).values_list("user_id", "organisation__path"):
        out.setdefault(user_id, []).append(path)
    return out


@check(
    "ppd-review-in-date",
    title="Every PPD asset has a current IAO and an in-date review",
    requirements=(
        "urn:steward:dhp2008:roles",
        "urn:steward:dhp2008:ppd-inventory",
    ),
)
def ppd_review_in_date(access: Access, organisation: Organisation) -> Result:
    """Three queries: the organisations in reach, the PPD assets counted
    per (owner, organisation) pair, and those owners' current IAO roles.
    An asset fails when it is overdue review or its owner holds no
    current IAO role in its organisation or one above it."""
    today = timezone.localdate()
    paths = _visible_paths(access, organisation)
    pairs = list(
        Asset.objects.filter(
            organisation_id__in=list(paths),
            status=Status.ACTIVE,
            is_ppd=True,
        )
        .values("owner_id", "organisation_id")
        .annotate(
            n=Count("pk"), overdue=Count("pk", filter=Q(review_due__lt=today))
        )  # fmt: skip
        .order_by()
    )
    iao = _iao_paths({p["owner_id"] for p in pairs})
    a = f = overdue = no_iao = 0
    for p in pairs:
        path = paths[p["organisation_id"]]
        a += p["n"]
        overdue += p["overdue"]
        if any(path.startswith(r) for r in iao.get(p["owner_id"], ())):
            f += p["overdue"]
        else:
            f += p["n"]
            no_iao += p["n"]
    base = (
        reverse("assets:list") + f"?organisation={organisation.code}&ppd=yes"
    )
    return _result(
        a,
        f,
        f"{f} of {a} protected personal data assets are overdue review or "
        f"have no current IAO ({overdue} overdue, "
        f"{no_iao} without a current IAO)",
        {
            "overdue": base + "&overdue=yes",
            "owners": reverse(
                "organisations:detail", kwargs={"code": organisation.code}
            ),
        },
    )


@check(
    "ppd-encrypted-at-rest",
    title="PPD assets are encrypted at rest",
    requirements=(
        "urn:steward:dhp2008:protective-measures",
        "urn:steward:ukgdpr:art32",
    ),
)
def ppd_encrypted_at_rest(
    access: Access, organisation: Organisation
) -> Result:
    return _asset_result(
        access,
        organisation,
        Q(encrypted_at_rest=False),
        "are not encrypted at rest",
        "",
    )


@check(
    "ppd-backups-encrypted",
    title="Backups of PPD are encrypted",
    requirements=(
        "urn:steward:dhp2008:unencrypted-media",
        "urn:steward:dhp2008:removable-media",
    ),
)
def ppd_backups_encrypted(
    access: Access, organisation: Organisation
) -> Result:
    return _asset_result(
        access,
        organisation,
        ~Q(backup_medium__in=["", BackupMedium.NONE])
        & Q(backup_encrypted=False),
        "have unencrypted backups",
        "",
    )


@check(
    "ppd-offshore-lawful",
    title="No PPD held outside the UK without a lawful basis",
    requirements=(
        "urn:steward:dhp2008:offshoring",
        "urn:steward:dpa1998:principle-8",
    ),
)
def ppd_offshore_lawful(access: Access, organisation: Organisation) -> Result:
    return _asset_result(
        access,
        organisation,
        Q(offshore=True, transfer_ok=False),
        "are held outside the UK without a lawful basis",
        "&offshore=yes",
    )


@check(
    "siro-appointed",
    title="A SIRO is appointed for every department",
    requirements=("urn:steward:dhp2008:roles",),
)
def siro_appointed(access: Access, organisation: Organisation) -> Result:
    counts = Organisation.objects.filter(
        access.visible_q(),
        path__startswith=organisation.path,
        kind=Kind.DEPARTMENT,
        is_active=True,
    ).aggregate(
        applicable=Count("pk", distinct=True),
        appointed=Count(
            "pk",
            distinct=True,
            filter=Q(siro_appointments__ended_at__isnull=True)
            & Q(siro_appointments__isnull=False),
        ),
    )
    a = counts["applicable"]
    f = a - counts["appointed"]
    return _result(
        a,
        f,
        f"{f} of {a} departments have no SIRO",
        {"departments": reverse("organisations:list") + "?kind=department"},
    )


@check(
    "mandatory-covered-by-procedure",
    title="Every mandatory requirement is covered by a current procedure",
    requirements=("urn:steward:dhp2008:risk-policy",),
)
def mandatory_covered(access: Access, organisation: Organisation) -> Result:
    today = timezone.localdate()
    mandatory = set(
        Requirement.objects.filter(
            version__is_current=True, mandatory=True
        ).values_list("urn", flat=True)
    )
    covered = set(
        ProcedureLink.objects.filter(
            procedure__organisation=organisation,
            procedure__status=ProcedureStatus.CURRENT,
            procedure__next_review__gte=today,
            urn__in=mandatory,
        ).values_list("urn", flat=True)
    )
    a, f = len(mandatory), len(mandatory - covered)
    return _result(
        a,
        f,
        f"{f} of {a} mandatory requirements have no current procedure",
        {
            "coverage": reverse(
                "controls:coverage", kwargs={"code": organisation.code}
            )
        },
    )


# The kinds of body a department answers for without running them: their
# handling of protected personal data is assessed in their own right.
ASSESSED_BODIES = (Kind.ALB, Kind.CONTRACTOR)
# How many failing bodies the result links to by name; the rest are on
# the linked organisations list.
LINKED_BODIES = 10


@check(
    "bodies-assessed-in-period",
    title="Each arm's-length body and contractor handling PPD has been "
    "assessed in the period",
    requirements=("urn:steward:dhp2008:risk-policy",),
)
def bodies_assessed(access: Access, organisation: Organisation) -> Result:
    """Arm's-length bodies and contractors in the subtree with at least
    one active protected-personal-data asset in their own register must
    have a signed-off assessment of their own for a period that falls in
    the current financial year (1 April to 31 March). One query."""
    year = year_of(timezone.localdate())
    rows = list(
        Organisation.objects.filter(
            access.visible_q(),
            path__startswith=organisation.path,
            kind__in=ASSESSED_BODIES,
            is_active=True,
        )
        .filter(
            Exists(
                Asset.objects.filter(
                    organisation_id=OuterRef("pk"),
                    status=Status.ACTIVE,
                    is_ppd=True,
                )
            )
        )
        .annotate(
            assessed=Exists(
                Assessment.objects.filter(
                    organisation_id=OuterRef("pk"),
                    status=AssessmentStatus.SIGNED_OFF,
                    period_start__lte=year.end,
                    period_end__gte=year.start,
                )
            )
        )
        .order_by("path")
        .values_list("code", "name", "assessed")
    )
    failing = [(code, name) for code, name, assessed in rows if not assessed]
    a, f = len(rows), len(failing)
    links = {
        name: reverse("assessments:position", kwargs={"code": code})
        for code, name in failing[:LINKED_BODIES]
    }
    links["bodies"] = reverse("organisations:list") + "?kind=alb"
    links["contractors"] = reverse("organisations:list") + "?kind=contractor"
    return _result(
        a,
        f,
        f"{f} of {a} arm's-length bodies and contractors holding protected "
        f"personal data have no signed-off assessment for {year.code}",
        links,
    )
