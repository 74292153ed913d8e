"""API for the information asset register: CRUD (closing, never
deleting), history, export and import.

Handlers are thin: they call the same selectors and services as the pages.
"""

import datetime as dt
import json
from typing import Any

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BaseModel

from steward.accounts.models import User
from steward.assets import exporting, importing, paging, selectors, services
from steward.assets.models import (
    GSC,
    Asset,
    BackupMedium,
    Category,
    LegacyMarking,
    LegalBasis,
    Location,
    Risk,
    Status,
    Subject,
    TransferMechanism,
)
from steward.common import spreadsheets
from steward.common.errors import Invalid
from steward.common.pagination import Pages
from steward.organisations.access import Access, api_access
from steward.organisations.models import Organisation

router = Router(tags=["assets"])

_BIG = 10**11


_access = api_access


class LocationSchema(Schema):
    system: str = Field(..., max_length=200)
    site: str = Field("", max_length=200)
    hosting_provider: str = Field("", max_length=200)
    country: str = Field("GB", min_length=2, max_length=2)


class LocationOut(BaseModel):
    system: str
    site: str
    hosting_provider: str
    country: str


class AssetOut(BaseModel):
    """An asset as the API returns it. A plain pydantic model fed with
    dicts from ``_rows``: ninja's per-attribute getter on model instances
    took 25 ms for a page of 50 (bench/assets_profile.py)."""

    id: int
    reference: str
    name: str
    organisation: str
    owner_id: int
    owner: str
    description: str
    purpose: str
    legal_basis: LegalBasis
    data_subjects: list[Subject]
    categories: list[Category]
    individuals: int
    records: int
    public_domain: bool
    marking: GSC
    legacy_marking: LegacyMarking
    encrypted_at_rest: bool
    backup_medium: BackupMedium
    backup_encrypted: bool
    backup_location: str
    backup_country: str
    transfer_mechanism: TransferMechanism
    retention: str
    disposal_rule: str
    review_due: dt.date
    last_reviewed: dt.date | None
    status: Status
    closed_reason: str
    is_ppd: bool
    classification: GSC
    offshore: bool
    transfer_ok: bool
    risk: Risk
    locations: list[LocationOut]


_COLUMNS = [
    name
    for name in AssetOut.model_fields
    if name not in ("organisation", "owner", "locations")
]


def _rows(assets: Any) -> list[dict[str, Any]]:
    """``AssetOut`` dicts for a queryset of assets (already scoped and
    sliced): two queries, no model instances."""
    rows = list(
        assets.values(
            *_COLUMNS,
            organisation_code=F("organisation__code"),
            owner_name=F("owner__full_name"),
        )
    )
    by_asset: dict[int, list[dict[str, str]]] = {r["id"]: [] for r in rows}
    for loc in (
        Location.objects.filter(asset_id__in=list(by_asset))
        .order_by("pk")
        .values("asset_id", "system", "site", "hosting_provider", "country")
    ):
        by_asset[loc.pop("asset_id")].append(loc)
    for r in rows:
        r["organisation"] = r.pop("organisation_code")
        r["owner"] = r.pop("owner_name")
        r["locations"] = by_asset[r["id"]]
    return rows


def _one(asset: Asset) -> dict[str, Any]:
    return _rows(Asset.objects.filter(pk=asset.pk))[0]


class AssetPages(Pages):
    """``Pages`` whose items are built by ``_rows`` and whose count, like
    the list page's, stops a few pages past the one asked for (counting
    every match cost more than the rest of a request at 100,000 assets):
    ``count_exact`` is false when there are more than ``count`` - 1."""

    class Output(Schema):
        items: list[Any]
        count: int
        count_exact: bool

    def paginate_queryset(  # type: ignore[override]
        self, queryset: Any, pagination: Any, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        most = max(paging.COUNT_CAP, offset + paging.LOOK_AHEAD * limit)
        count = queryset.order_by()[: most + 1].count()
        return {
            "items": _rows(queryset[offset : offset + limit]),
            "count": count,
            "count_exact": count <= most,
        }


class _Facts(Schema):
    name: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    owner_email: str = Field(..., max_length=254)
    purpose: str = Field("", max_length=5000)
    legal_basis: LegalBasis
    data_subjects: list[Subject] = Field(..., max_length=20)
    categories: list[Category] = Field(..., max_length=30)
    individuals: int = Field(..., ge=0, le=_BIG)
    records: int = Field(..., ge=0, le=_BIG)
    public_domain: bool = False
    marking: GSC = GSC.OFFICIAL
    legacy_marking: LegacyMarking = LegacyMarking.NONE
    encrypted_at_rest: bool = False
    backup_medium: BackupMedium = BackupMedium.NONE
    backup_encrypted: bool = False
    backup_location: str = Field("", max_length=200)
    backup_country: str = Field("", max_length=2)
    transfer_mechanism: TransferMechanism = TransferMechanism.NONE
    retention: str = Field(..., max_length=200)
    disposal_rule: str = Field("", max_length=300)
    review_due: dt.date
    locations: list[LocationSchema] = Field(..., min_length=1, max_length=50)


class AssetIn(_Facts):
    organisation: str = Field(..., max_length=40)
    reference: str = Field(..., max_length=60)


class AssetPatch(Schema):
    reference: str | None = Field(None, max_length=60)
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    owner_email: str | None = Field(None, max_length=254)
    purpose: str | None = Field(None, max_length=5000)
    legal_basis: LegalBasis | None = None
    data_subjects: list[Subject] | None = Field(None, max_length=20)
    categories: list[Category] | None = Field(None, max_length=30)
    individuals: int | None = Field(None, ge=0, le=_BIG)
    records: int | None = Field(None, ge=0, le=_BIG)
    public_domain: bool | None = None
    marking: GSC | None = None
    legacy_marking: LegacyMarking | None = None
    encrypted_at_rest: bool | None = None
    backup_medium: BackupMedium | None = None
    backup_encrypted: bool | None = None
    backup_location: str | None = Field(None, max_length=200)
    backup_country: str | None = Field(None, max_length=2)
    transfer_mechanism: TransferMechanism | None = None
    retention: str | None = Field(None, max_length=200)
    disposal_rule: str | None = Field(None, max_length=300)
    review_due: dt.date | None = None
    locations: list[LocationSchema] | None = Field(
        None, min_length=1, max_length=50
    )
    reason: str = Field("", max_length=500)


class CloseIn(Schema):
    reason: str = Field(..., max_length=500)
    disposed: bool = False


class ChangeOut(Schema):
    occurred_at: dt.datetime
    actor_id: str
    action: str
    fields: dict[str, list[Any]]
    reason: str


class ListFilters(Schema):
    search: str = Field("", max_length=100)
    organisation: str = Field("", max_length=40)
    owner_id: int | None = Field(None, ge=1, le=2**31)
    classification: GSC | None = None
    ppd: bool | None = None
    country: str = Field("", max_length=2)
    offshore: bool | None = None
    overdue: bool | None = None
    risk: Risk | None = None
    status: Status | None = Status.ACTIVE
    sort: str = Field("name", pattern="^-?(name|review_due|individuals)$")

    def filters(self) -> selectors.Filters:
        return selectors.Filters(
            search=self.search,
            organisation=self.organisation,
            owner=self.owner_id,
            classification=self.classification or "",
            ppd=self.ppd,
            country=self.country,
            offshore=self.offshore,
            overdue=self.overdue,
            risk=self.risk or "",
            status=self.status or "",
            sort=self.sort,
        )


class ProblemOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    rows: int
    ready: int
    unchanged: int
    imported: int
    problems: list[ProblemOut]


def _owner(email: str) -> User:
    user = User.objects.filter(
        email=email.strip().lower(), is_active=True
    ).first()
    if user is None:
        raise Invalid(
            {"owner_email": "No one with this email address has an account"}
        )
    return user


def _org(access: Access, code: str) -> Organisation:
    org = (
        selectors.organisations_for_register(access=access)
        .filter(code=code)
        .first()
    )
    if org is None:
        raise Invalid({"organisation": "No such organisation"})
    return org


def _locations(items: list[LocationSchema]) -> list[dict[str, str]]:
    return [x.dict() for x in items]


@router.get(
    "/assets",
    response=list[AssetOut],
    summary="Assets the caller can see, filtered and sorted",
    description="'count' is the number of matches when 'count_exact' is "
    "true; otherwise there are more than count - 1 (the count stops "
    f"{paging.LOOK_AHEAD} pages past the one asked for, and never before "
    f"{paging.COUNT_CAP:,}).",
)
@paginate(AssetPages)
def asset_list(request: HttpRequest, filters: Query[ListFilters]):  # type: ignore[no-untyped-def]
    return selectors.asset_list(
        access=_access(request), filters=filters.filters()
    )


@router.post("/assets", response={201: AssetOut}, summary="Register an asset")
def asset_create(request: HttpRequest, payload: AssetIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    org = _org(access, payload.organisation)
    data = payload.dict(exclude={"organisation", "owner_email", "locations"})
    data["owner"] = _owner(payload.owner_email)
    asset = services.asset_create(
        access=access,
        organisation=org,
        data=data,
        locations=_locations(payload.locations),
    )
    return 201, _one(selectors.asset_get(access=access, pk=asset.pk))


@router.get("/assets/export", summary="The assets as CSV or XLSX")
def asset_export(
    request: HttpRequest,
    filters: Query[ListFilters],
    format: str = Query("csv", pattern="^(csv|xlsx)$"),
) -> HttpResponse:
    qs = selectors.asset_list(
        access=_access(request), filters=filters.filters()
    )
    return spreadsheets.download(
        exporting.rows(qs),
        fmt=format,
        name="assets",
        title="Assets",
        stamp=False,
    )


def _mapping(headers: list[str], given: str) -> dict[str, int | None]:
    """The columns as guessed from the file's header, overridden by
    ``given``: JSON naming, for a register column, the file's header."""
    mapping = importing.guess_mapping(headers)
    if not given.strip():
        return mapping
    try:
        pairs = json.loads(given)
    except ValueError:
        pairs = None
    if not isinstance(pairs, dict):
        raise Invalid({"mapping": "Give the mapping as a JSON object"})
    for field, header in pairs.items():
        if field not in importing.HEADERS:
            raise Invalid({"mapping": f"'{str(field)[:40]}' is not a column"})
        if header in (None, ""):
            mapping[field] = None
        elif isinstance(header, str) and header in headers:
            mapping[field] = headers.index(header)
        else:
            raise Invalid(
                {"mapping": f"The file has no column '{str(header)[:40]}'"}
            )
    return mapping


@router.post(
    "/assets/import",
    response=ImportOut,
    summary="Check (dry_run) or import a register file, all or nothing",
    description="Columns are matched to the file's header by name; "
    "'mapping' (JSON) names the file's column for any register column, "
    'e.g. {"reference": "Asset ID"}.',
)
def asset_import(
    request: HttpRequest,
    file: File[UploadedFile],
    organisation: Form[str],
    dry_run: Form[bool] = True,
    mapping: Form[str] = "",
) -> dict[str, Any]:
    access = _access(request)
    org = _org(access, organisation[:40])
    data = file.read()
    name = file.name or "upload.csv"
    try:
        headers, rows = importing.read_table(data, name)
    except importing.FileError as exc:
        raise Invalid({"file": str(exc)}) from None
    digest = importing.file_digest(data)
    checked = importing.check(
        access=access,
        organisation=org,
        headers=headers,
        rows=rows,
        mapping=_mapping(headers, mapping[:5000]),
        digest=digest,
    )
    imported = 0
    if not dry_run and not checked.problems and checked.ready:
        record = services.asset_import(
            access=access,
            organisation=org,
            rows=checked.ready,
            file_digest=digest,
            filename=name,
        )
        imported = record.rows
    return {
        "rows": checked.rows,
        "ready": len(checked.ready),
        "unchanged": checked.unchanged,
        "imported": imported,
        "problems": [p.__dict__ for p in checked.problems],
    }


@router.get("/assets/{asset_id}", response=AssetOut)
def asset_get(request: HttpRequest, asset_id: int):  # type: ignore[no-untyped-def]
    return _one(selectors.asset_get(access=_access(request), pk=asset_id))


@router.patch(
    "/assets/{asset_id}",
    response=AssetOut,
    summary="Change some of an asset's facts",
)
def asset_update(request: HttpRequest, asset_id: int, payload: AssetPatch):  # type: ignore[no-untyped-def]
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=asset_id)
    data = payload.dict(
        exclude_unset=True, exclude={"owner_email", "locations", "reason"}
    )
    data = {k: v for k, v in data.items() if v is not None}
    if payload.owner_email:
        data["owner"] = _owner(payload.owner_email)
    services.asset_update(
        access=access,
        asset=asset,
        data=data,
        locations=_locations(payload.locations) if payload.locations else None,
        reason=payload.reason,
    )
    return _one(selectors.asset_get(access=access, pk=asset_id))


@router.post("/assets/{asset_id}/close", response=AssetOut)
def asset_close(request: HttpRequest, asset_id: int, payload: CloseIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=asset_id)
    services.asset_close(
        access=access,
        asset=asset,
        reason=payload.reason,
        disposed=payload.disposed,
    )
    return _one(selectors.asset_get(access=access, pk=asset_id))


@router.post("/assets/{asset_id}/review", response=AssetOut)
def asset_review(request: HttpRequest, asset_id: int):  # type: ignore[no-untyped-def]
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=asset_id)
    services.asset_review(access=access, asset=asset)
    return _one(selectors.asset_get(access=access, pk=asset_id))


@router.get(
    "/assets/{asset_id}/history",
    response=list[ChangeOut],
    summary="Every change to the asset, newest first",
)
def asset_history(request: HttpRequest, asset_id: int):  # type: ignore[no-untyped-def]
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=asset_id)
    return selectors.asset_history(access=access, asset=asset)
