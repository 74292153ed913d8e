"""API for incidents: report, the register and one incident, and the
notifications addressed to the caller.

Handlers are thin: they call the same selectors and services as the pages.
"""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from steward.assets import selectors as asset_selectors
from steward.common import spreadsheets
from steward.common.errors import Invalid
from steward.common.pagination import Pages
from steward.incidents import clock, exporting, selectors, services
from steward.incidents.models import (
    AnnualCategory,
    Channel,
    DeliveryStatus,
    Incident,
    Kind,
    Notification,
    Phase,
    Recipient,
    RootCause,
    Status,
)
from steward.organisations.access import api_access

router = Router(tags=["incidents"])


_access = api_access


class ClockOut(Schema):
    deadline: dt.datetime
    deadline_london: str
    state: str
    text: str


class IncidentOut(Schema):
    id: int
    reference: str
    organisation: str = Field(..., alias="organisation.code")
    summary: str
    description: str
    occurred_at: dt.datetime | None
    aware_at: dt.datetime
    data_involved: str
    people_estimate: int | None
    assets: list[int]
    status: Status
    kind: Kind | None
    annual_category: AnnualCategory | None
    individuals: int | None
    records: int | None
    special_category: bool
    vulnerable: bool
    financial: bool
    encrypted: bool
    likelihood: int | None
    severity: int | None
    notifiable: bool | None
    tell_subjects: bool | None
    reasons: list[str]
    overridden: bool
    override_reason: str
    root_cause: RootCause | None
    root_cause_detail: str
    lessons: str
    share_lessons: bool
    clock: ClockOut

    @staticmethod
    def resolve_root_cause(obj: Incident) -> str | None:
        return obj.root_cause or None

    @staticmethod
    def resolve_kind(obj: Incident) -> str | None:
        return obj.kind or None

    @staticmethod
    def resolve_annual_category(obj: Incident) -> str | None:
        return obj.annual_category or None

    @staticmethod
    def resolve_assets(obj: Incident) -> list[int]:
        return [a.pk for a in obj.assets.all()]

    @staticmethod
    def resolve_clock(obj: Incident) -> dict[str, object]:
        c = selectors.incident_clock(incident=obj)
        return {
            "deadline": c.deadline,
            "deadline_london": clock.london(c.deadline),
            "state": c.state,
            "text": c.text,
        }


class IncidentIn(Schema):
    organisation: str = Field(..., max_length=40)
    summary: str = Field(..., max_length=200)
    description: str = Field(..., max_length=10000)
    aware_at: dt.datetime
    occurred_at: dt.datetime | None = None
    data_involved: str = Field("", max_length=500)
    people_estimate: int | None = Field(None, ge=0, le=10**11)
    assets: list[int] = Field([], max_length=100)


class ListFilters(Schema):
    search: str = Field("", max_length=100)
    status: Status | None = None
    category: AnnualCategory | None = None
    notifiable: bool | None = None
    sort: str = Field("aware", pattern="^(aware|deadline|organisation)$")

    def filters(self) -> selectors.Filters:
        return selectors.Filters(
            search=self.search,
            status=self.status or "",
            category=self.category or "",
            notifiable=self.notifiable,
            sort=self.sort,
        )


class NotificationOut(Schema):
    id: int
    incident_reference: str = Field(..., alias="incident.reference")
    organisation: str = Field(..., alias="incident.organisation.code")
    recipient: Recipient
    phase: Phase
    made_at: dt.datetime
    late: bool
    content: dict[str, object]


@router.get(
    "/incidents",
    response=list[IncidentOut],
    summary="The breach register: incidents the caller can see",
)
@paginate(Pages)
def incident_list(request: HttpRequest, filters: Query[ListFilters]):  # type: ignore[no-untyped-def]
    return selectors.incident_list(
        access=_access(request), filters=filters.filters()
    ).prefetch_related("assets")


@router.post(
    "/incidents", response={201: IncidentOut}, summary="Report an incident"
)
def incident_report(request: HttpRequest, payload: IncidentIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    orgs = selectors.reportable_organisations(access=access)
    org = next((o for o in orgs if o.code == payload.organisation), None)
    if org is None:
        raise Invalid({"organisation": "No such organisation"})
    if payload.aware_at.tzinfo is None:
        raise Invalid({"aware_at": "Give a time zone, e.g. Z or +01:00"})
    if payload.occurred_at and payload.occurred_at.tzinfo is None:
        raise Invalid({"occurred_at": "Give a time zone, e.g. Z or +01:00"})
    assets = list(
        asset_selectors.asset_list(access=access).filter(
            pk__in=payload.assets
        )
    )
    if len(assets) != len(set(payload.assets)):
        raise Invalid({"assets": "No such asset"})
    incident = services.incident_report(
        access=access,
        organisation=org,
        summary=payload.summary,
        description=payload.description,
        aware_at=payload.aware_at,
        occurred_at=payload.occurred_at,
        data_involved=payload.data_involved,
        people_estimate=payload.people_estimate,
        assets=assets,
    )
    return 201, selectors.incident_get(access=access, pk=incident.pk)


@router.get(
    "/incidents/export",
    summary="The breach register as CSV or XLSX: what the caller can see",
)
def incident_export(
    request: HttpRequest,
    filters: Query[ListFilters],
    format: str = Query("csv", pattern="^(csv|xlsx)$"),
) -> HttpResponse:
    qs = selectors.incident_list(
        access=_access(request), filters=filters.filters()
    )
    return spreadsheets.download(
        exporting.rows(qs),
        fmt=format,
        name="breach-register",
        title="Breach register",
        stamp=False,
    )


class CountOut(Schema):
    label: str
    count: int


class ChartOut(Schema):
    id: str
    title: str
    rows: list[CountOut]

    @staticmethod
    def resolve_rows(obj: object) -> list[dict[str, object]]:
        return [
            {"label": label, "count": count}
            for label, count in obj.rows  # type: ignore[attr-defined]
        ]


class LessonOut(Schema):
    reference: str
    organisation: str
    root_cause: str
    kind: str
    when: str
    lessons: str


class ThemesOut(Schema):
    period: str
    period_label: str
    total: int
    notifiable: int
    notified: int
    late: int
    median_hours: float | None
    charts: list[ChartOut]
    lessons: list[LessonOut]


@router.get(
    "/incidents/themes",
    response=ThemesOut,
    summary="Cross-government themes (the central team; a SIRO for their "
    "own organisations)",
)
def incident_themes(
    request: HttpRequest,
    period: str = Query("12m", pattern="^(12m|all|fy[0-9]{4})$"),
) -> dict[str, object]:
    t = selectors.themes_for(access=_access(request), period_key=period)
    return {
        "period": t.period.key,
        "period_label": t.period.label,
        "total": t.total,
        "notifiable": t.notifiable,
        "notified": t.notified,
        "late": t.late,
        "median_hours": t.median_hours,
        "charts": list(t.charts),
        "lessons": list(t.lessons),
    }


class LessonsIn(Schema):
    root_cause: RootCause
    root_cause_detail: str = Field("", max_length=2000)
    lessons: str = Field("", max_length=5000)
    share_lessons: bool = False


@router.post(
    "/incidents/{incident_id}/lessons",
    response=IncidentOut,
    summary="Record an incident's root cause and lessons",
)
def incident_learn(
    request: HttpRequest, incident_id: int, payload: LessonsIn
) -> Incident:
    access = _access(request)
    incident = selectors.incident_get(access=access, pk=incident_id)
    services.incident_learn(
        access=access,
        incident=incident,
        root_cause=payload.root_cause,
        root_cause_detail=payload.root_cause_detail,
        lessons=payload.lessons,
        share_lessons=payload.share_lessons,
    )
    return selectors.incident_get(access=access, pk=incident_id)


class DeliveryOut(Schema):
    channel: Channel
    recipient: Recipient
    destination: str
    attempt: int
    attempted_at: dt.datetime
    status: DeliveryStatus
    response: str
    next_retry_at: dt.datetime | None


@router.get(
    "/incidents/notifications/{notification_id}/deliveries",
    response=list[DeliveryOut],
    summary="The delivery log of a notification (those who handle the "
    "incident)",
)
def notification_deliveries(
    request: HttpRequest, notification_id: int
) -> list[object]:
    access = _access(request)
    note = selectors.notification_get(access=access, pk=notification_id)
    return list(selectors.delivery_log(access=access, notification=note))


@router.get(
    "/incidents/notifications",
    response=list[NotificationOut],
    summary="Notifications addressed to the caller or made by the "
    "organisations it handles",
)
@paginate(Pages)
def notification_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.notification_list(access=_access(request))


@router.get("/incidents/notifications/{notification_id}",
            response=NotificationOut)  # fmt: skip
def notification_get(request: HttpRequest, notification_id: int) -> Notification:  # noqa: E501
    return selectors.notification_get(
        access=_access(request), pk=notification_id
    )


@router.get("/incidents/{incident_id}", response=IncidentOut)
def incident_get(request: HttpRequest, incident_id: int) -> Incident:
    return selectors.incident_get(access=_access(request), pk=incident_id)
