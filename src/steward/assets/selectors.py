"""Every read of the information asset register, scoped to the viewer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from steward.accounts.models import User
from steward.assets.derivations import UK
from steward.assets.models import (
    GSC,
    Asset,
    Change,
    ImportJob,
    Location,
    Risk,
    Status,
)
from steward.common.errors import NotFound
from steward.organisations.access import Access
from steward.organisations.models import Organisation

# Sort keys a list may ask for; each is served by an index with name.
SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "review_due": ("review_due", "pk"),
    "-review_due": ("-review_due", "-pk"),
    "individuals": ("individuals", "pk"),
    "-individuals": ("-individuals", "-pk"),
    "organisation": ("organisation__path", "name", "pk"),
    "risk": ("risk", "name", "pk"),
}


@dataclass(frozen=True)
class Filters:
    search: str = ""
    organisation: str = ""  # an organisation's code: it and its subtree
    owner: int | None = None
    classification: str = ""
    ppd: bool | None = None
    country: str = ""
    offshore: bool | None = None
    overdue: bool | None = None
    risk: str = ""
    status: str = Status.ACTIVE  # "" for every status
    sort: str = "name"


def _visible_ids(access: Access, path: str = "/") -> list[int]:
    """The organisations the viewer can see (under ``path``): a few
    hundred ids at most. Filtering assets by ``organisation_id IN (...)``
    lets the database use the register's indexes, where a join on the
    organisation's path would read every asset first."""
    return list(
        Organisation.objects.filter(
            access.visible_q(), path__startswith=path
        ).values_list("pk", flat=True)
    )


def _in_scope(access: Access) -> Q:
    """The viewer's assets: no condition at all for one who sees every
    organisation (the central team), whose list would otherwise test
    every row against the id of every organisation in government."""
    seen = Organisation.objects.aggregate(
        every=Count("pk"), visible=Count("pk", filter=access.visible_q())
    )
    if seen["every"] and seen["every"] == seen["visible"]:
        return Q()
    return Q(organisation_id__in=_visible_ids(access))


def asset_list(
    *, access: Access, filters: Filters | None = None
) -> QuerySet[Asset]:
    f = filters or Filters()
    qs = Asset.objects.filter(_in_scope(access))
    if f.search:
        qs = qs.filter(
            Q(name__icontains=f.search) | Q(reference__icontains=f.search)
        )
    if f.organisation:
        path = (
            Organisation.objects.filter(code=f.organisation)
            .values_list("path", flat=True)
            .first()
        )
        qs = qs.filter(organisation_id__in=_visible_ids(access, path or "\0"))
    if f.owner is not None:
        qs = qs.filter(owner_id=f.owner)
    if f.classification in GSC.values:
        qs = qs.filter(classification=f.classification)
    if f.ppd is not None:
        qs = qs.filter(is_ppd=f.ppd)
    if f.country:
        qs = _in_country(qs, f.country.upper())
    if f.offshore is not None:
        qs = qs.filter(offshore=f.offshore)
    if f.overdue is not None:
        today = timezone.localdate()
        due = Q(status=Status.ACTIVE, review_due__lt=today)
        qs = qs.filter(due if f.overdue else ~due)
    if f.risk in Risk.values:
        qs = qs.filter(risk=f.risk)
    if f.status in Status.values:
        qs = qs.filter(status=f.status)
    return qs.select_related("organisation", "owner").order_by(
        *SORTS.get(f.sort, SORTS["name"])
    )


def _in_country(qs: QuerySet[Asset], country: str) -> QuerySet[Asset]:
    """Assets with a location or their backups in ``country``."""
    in_locations = Location.objects.filter(country=country).order_by()
    if country != UK:
        # Implied by the derivation (held anywhere but the UK is
        # offshore) and served by an index: far fewer rows to test.
        qs = qs.filter(offshore=True)
    if connection.vendor == "sqlite":
        # One set of ids from two index lookups joined by UNION: an
        # OR of the two made SQLite read every asset.
        return qs.filter(
            pk__in=in_locations.values("asset_id").union(
                Asset.objects.filter(backup_country=country)
                .order_by()
                .values("pk")
            )
        )
    # PostgreSQL hashes the subquery and walks the sort index; the UNION
    # form made it sort every match (250 ms at 100,000 assets,
    # bench/assets_bench.py).
    return qs.filter(
        Q(pk__in=in_locations.values("asset_id")) | Q(backup_country=country)
    )


def asset_get(*, access: Access, pk: int) -> Asset:
    try:
        return (
            Asset.objects.filter(access.visible_q("organisation__"))
            .select_related("organisation", "owner", "closed_by")
            .prefetch_related("locations")
            .get(pk=pk)
        )
    except Asset.DoesNotExist:
        raise NotFound("asset") from None


def asset_history(*, access: Access, asset: Asset) -> list[Change]:
    """The asset's changes, newest first (the asset is already in scope)."""
    return list(
        Change.objects.filter(
            access.visible_q("asset__organisation__"), asset=asset
        )
    )


def people_named(ids: set[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def my_assets(*, access: Access) -> QuerySet[Asset]:
    """The active assets the signed-in person owns, review date first."""
    return asset_list(
        access=access, filters=Filters(sort="review_due")
    ).filter(owner_id=access.user_id)


def review_tasks(*, access: Access, within_days: int = 31) -> QuerySet[Asset]:
    """The person's assets whose quarterly review is overdue or due soon."""
    horizon = timezone.localdate() + dt.timedelta(days=within_days)
    return my_assets(access=access).filter(review_due__lte=horizon)


@dataclass(frozen=True)
class SubtreeCounts:
    total: int
    ppd: int
    offshore: int
    overdue: int
    high_risk: int
    by_classification: list[tuple[str, int]]
    by_organisation: list[dict[str, object]]


def subtree_counts(
    *, access: Access, organisation: Organisation
) -> SubtreeCounts:
    """Counts of the active assets in an organisation and everything under
    it, for its SIRO."""
    qs = Asset.objects.filter(
        organisation_id__in=_visible_ids(access, organisation.path),
        status=Status.ACTIVE,
    )
    today = timezone.localdate()
    totals = qs.aggregate(
        total=Count("pk"),
        ppd=Count("pk", filter=Q(is_ppd=True)),
        offshore=Count("pk", filter=Q(offshore=True)),
        overdue=Count("pk", filter=Q(review_due__lt=today)),
        high=Count("pk", filter=Q(risk=Risk.HIGH)),
    )
    by_cls = dict(qs.values_list("classification").annotate(n=Count("pk")))
    by_org = list(
        qs.values("organisation__code", "organisation__name")
        .annotate(
            n=Count("pk"),
            offshore=Count("pk", filter=Q(offshore=True)),
            ppd=Count("pk", filter=Q(is_ppd=True)),
        )
        .order_by("organisation__name")
    )
    return SubtreeCounts(
        total=totals["total"],
        ppd=totals["ppd"],
        offshore=totals["offshore"],
        overdue=totals["overdue"],
        high_risk=totals["high"],
        by_classification=[
            (label, by_cls.get(value, 0)) for value, label in GSC.choices
        ],
        by_organisation=by_org,
    )


def organisations_for_register(*, access: Access) -> QuerySet[Organisation]:
    """Organisations the viewer can see, for filters and the import."""
    return Organisation.objects.filter(access.visible_q()).order_by("path")


def import_job_get(*, access: Access, pk: int) -> ImportJob:
    """An import job, for the person who started it only (its problems
    name rows of their file)."""
    job = (
        ImportJob.objects.filter(
            access.visible_q("organisation__"), actor_id=access.actor_id
        )
        .select_related("organisation")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise NotFound("import")
    return job
