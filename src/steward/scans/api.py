"""API for scanning agents: upload a report; list results."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from steward.assets.selectors import asset_get
from steward.common.pagination import Pages
from steward.organisations import selectors as org_selectors
from steward.scans import selectors, services

router = Router(tags=["scans"])

Entity = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z_]{1,39}$")]


class TotalIn(Schema):
    entity: Entity
    count: int = Field(..., ge=0, le=2**62)
    distinct: int = Field(0, ge=0, le=2**62)
    places: int = Field(0, ge=0, le=2**31)


class LocationIn(Schema):
    path: str = Field(..., max_length=1000)
    sheet: str = Field("", max_length=200)
    page: int = Field(0, ge=0, le=2**31)
    column: str = Field("", max_length=200)


class FindingIn(Schema):
    entity: Entity
    location: LocationIn
    count: int = Field(..., ge=0, le=2**62)
    distinct: int = Field(0, ge=0, le=2**62)


class ProblemIn(Schema):
    path: str = Field(..., max_length=1000)
    kind: str = Field(..., max_length=40)


class ReportIn(Schema):
    """``steward scan --format json`` output. Masked samples, messages and
    positions are not kept: only counts and places."""

    sources: int = Field(0, ge=0, le=2**31)
    bytes_read: int = Field(0, ge=0, le=2**62)
    totals: list[TotalIn] = Field(default_factory=list, max_length=100)
    findings: list[FindingIn] = Field(default_factory=list, max_length=10_000)
    problems: list[ProblemIn] = Field(default_factory=list, max_length=10_000)


class UploadIn(Schema):
    organisation: str | None = Field(
        None, description="Code; the key's own organisation if not given"
    )
    asset_id: int | None = Field(None, ge=1, le=2**62)
    report: ReportIn


class RunOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    source: str
    status: str
    queued_at: datetime
    finished_at: datetime | None
    found: int
    bulk: bool
    unregistered: bool
    totals: list[dict[str, Any]]


@router.post(
    "/scans",
    response={201: RunOut},
    summary="Upload a scanning agent's report",
)
def upload(request: HttpRequest, payload: UploadIn):  # type: ignore[no-untyped-def]
    access = request.auth
    code = payload.organisation or _own_code(access)
    org = org_selectors.organisation_get(access=access, code=code)
    asset = (
        asset_get(access=access, pk=payload.asset_id)
        if payload.asset_id is not None
        else None
    )
    run = services.scan_upload(
        access=access,
        organisation=org,
        report=payload.report.model_dump(),
        asset=asset,
    )
    return 201, run


def _own_code(access) -> str:  # type: ignore[no-untyped-def]
    path = access.grants[0].path
    return path.rstrip("/").rsplit("/", 1)[-1]


@router.get("/scans", response=list[RunOut], summary="Scan results")
@paginate(Pages)
def run_list(request: HttpRequest, unregistered: bool = False):  # type: ignore[no-untyped-def]
    return selectors.run_list(access=request.auth, unregistered=unregistered)


@router.get("/scans/{run_id}", response=RunOut)
def run_get(request: HttpRequest, run_id: int):  # type: ignore[no-untyped-def]
    return selectors.run_get(access=request.auth, pk=run_id)
