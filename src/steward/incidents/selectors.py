"""Every read of incidents and notifications, scoped to the viewer.

Guardians, SIROs and the central team see every incident in their
subtree; anyone else sees the incidents they reported. The regulator
(``auditor``) and the central team see notifications addressed to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from steward.common.errors import Forbidden, NotFound
from steward.incidents import clock, themes
from steward.incidents.models import (
    AnnualCategory,
    Delivery,
    DeliveryStatus,
    Incident,
    Notification,
    Recipient,
    Status,
)
from steward.incidents.permissions import HANDLERS, REPORTERS, can_handle
from steward.organisations.access import Access
from steward.organisations.models import Kind, Organisation, Role

SORTS = {
    "aware": ("-aware_at", "-pk"),
    "deadline": ("deadline", "pk"),
    "organisation": ("organisation__path", "-aware_at", "-pk"),
}


@dataclass(frozen=True)
class Filters:
    search: str = ""
    status: str = ""
    category: str = ""
    notifiable: bool | None = None
    open_only: bool = False
    sort: str = "aware"


def _scope(access: Access) -> Q:
    mine = Q(reported_by_id=access.user_id) if access.user_id else Q(pk=0)
    return access.visible_q("organisation__", roles=HANDLERS) | (
        mine & access.visible_q("organisation__", roles=REPORTERS)
    )


def incident_list(
    *, access: Access, filters: Filters | None = None
) -> QuerySet[Incident]:
    f = filters or Filters()
    qs = Incident.objects.filter(_scope(access))
    if f.search:
        qs = qs.filter(summary__icontains=f.search)
    if f.status in Status.values:
        qs = qs.filter(status=f.status)
    if f.category in AnnualCategory.values:
        qs = qs.filter(annual_category=f.category)
    if f.notifiable is not None:
        qs = qs.filter(notifiable=f.notifiable)
    if f.open_only:
        qs = qs.exclude(status=Status.CLOSED)
    return qs.select_related("organisation", "reported_by").order_by(
        *SORTS.get(f.sort, SORTS["aware"])
    )


def incident_get(*, access: Access, pk: int) -> Incident:
    try:
        return (
            Incident.objects.filter(_scope(access))
            .select_related("organisation", "reported_by", "graded_by")
            .get(pk=pk)
        )
    except Incident.DoesNotExist:
        raise NotFound("incident") from None


def open_incidents(*, access: Access, limit: int = 10) -> list[Incident]:
    """Incidents awaiting ICO notification, the nearest deadline first,
    for the home page."""
    return list(
        incident_list(access=access, filters=Filters(sort="deadline"))
        .filter(status__in=[Status.REPORTED, Status.GRADED])
        .exclude(notifiable=False)[:limit]
    )


def incident_clock(
    *, incident: Incident, now: dt.datetime | None = None
) -> clock.Clock:
    first = (
        incident.notifications.filter(recipient=Recipient.ICO)
        .order_by("made_at")
        .values_list("made_at", flat=True)
        .first()
    )
    if first is None and incident.notifiable is False:
        return clock.Clock(
            incident.deadline,
            incident.deadline - (now or timezone.now()),
            "stopped",
            "Not notifiable to the ICO; kept in the breach register",
        )
    return clock.clock(
        aware_at=incident.aware_at,
        now=now or timezone.now(),
        notified_at=first,
    )


def reportable_organisations(*, access: Access) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            access.visible_q(roles=REPORTERS), is_active=True
        ).order_by("path")
    )


def _addressed_to(access: Access) -> Q:
    recipients = []
    if Role.AUDITOR in access.roles:
        recipients.append(Recipient.ICO)
    if Role.CENTRAL in access.roles:
        recipients.append(Recipient.CABINET_OFFICE)
    return Q(recipient__in=recipients)


def notification_list(*, access: Access) -> QuerySet[Notification]:
    """Notifications addressed to the viewer (the ICO, the Cabinet
    Office) and those of incidents the viewer handles."""
    handled = Q(
        incident__in=Incident.objects.filter(
            access.visible_q("organisation__", roles=HANDLERS)
        )
    )
    return (
        Notification.objects.filter(_addressed_to(access) | handled)
        .select_related("incident", "incident__organisation")
        .order_by("-made_at", "-pk")
    )


def notification_get(*, access: Access, pk: int) -> Notification:
    try:
        return notification_list(access=access).get(pk=pk)
    except Notification.DoesNotExist:
        raise NotFound("notification") from None


def incident_notifications(
    *, access: Access, incident: Incident
) -> list[Notification]:
    return list(
        notification_list(access=access)
        .filter(incident=incident)
        .order_by("made_at", "pk")
    )


def delivery_log(
    *, access: Access, notification: Notification
) -> list[Delivery]:
    """Every delivery attempt of a notification, for those who handle
    the incident (empty for anyone else)."""
    if not can_handle(
        access=access, organisation=notification.incident.organisation
    ):
        return []
    return list(notification.deliveries.order_by("channel", "attempt"))


def latest_deliveries(entries: list[Delivery]) -> dict[str, Delivery]:
    """The latest attempt of each channel."""
    latest: dict[str, Delivery] = {}
    for entry in sorted(entries, key=lambda e: e.attempt):
        latest[entry.channel] = entry
    return latest


def undelivered(
    *, access: Access, incident: Incident
) -> list[tuple[Notification, Delivery]]:
    """Notifications of the incident whose latest attempt by a channel
    failed for good, for the incident page's warning."""
    if not can_handle(access=access, organisation=incident.organisation):
        return []
    found = []
    entries = Delivery.objects.filter(
        notification__incident=incident
    ).select_related("notification")
    by_note: dict[int, list[Delivery]] = {}
    for e in entries:
        by_note.setdefault(e.notification_id, []).append(e)
    for group in by_note.values():
        for entry in latest_deliveries(group).values():
            if entry.status == DeliveryStatus.FAILED:
                found.append((entry.notification, entry))
    return found


# Cross-government themes: the central team sees every department, a
# SIRO their own subtree.
THEMES_ROLES = (Role.CENTRAL, Role.SIRO)


def can_see_themes(access: Access) -> bool:
    return access.has_any(THEMES_ROLES)


def _in_period(
    qs: QuerySet[Incident], period: themes.Period
) -> QuerySet[Incident]:
    if period.start is not None:
        qs = qs.filter(
            aware_at__gte=clock.from_london(
                dt.datetime.combine(period.start, dt.time())
            )
        )
    if period.end is not None:
        qs = qs.filter(
            aware_at__lt=clock.from_london(
                dt.datetime.combine(period.end, dt.time())
            )
        )
    return qs


def _lessons(
    access: Access, scope: QuerySet[Incident], period: themes.Period
) -> list[dict[str, object]]:
    """Lessons marked to share: in full from the viewer's own scope;
    from other departments without the department or the incident (the
    flag shares the lesson, not the record)."""
    mine = set(scope.values_list("pk", flat=True))
    shared = _in_period(
        Incident.objects.filter(share_lessons=True), period
    ).select_related("organisation").order_by("-aware_at", "-pk")
    found = []
    for i in shared[:200]:
        own = i.pk in mine
        found.append(
            {
                "pk": i.pk if own else None,
                "reference": i.reference if own else "",
                "organisation": i.organisation.name if own else "",
                "root_cause": i.get_root_cause_display() or "Not recorded",
                "kind": i.get_kind_display() or "Not recorded",
                "when": f"{i.aware_at.astimezone(clock.LONDON):%B %Y}",
                "lessons": i.lessons,
            }
        )
    return found


def themes_for(
    *, access: Access, period_key: str = "12m", today: dt.date | None = None
) -> themes.Themes:
    if not can_see_themes(access):
        raise Forbidden(
            "Only the central team and SIROs see cross-government themes"
        )
    today = today or timezone.localdate()
    scope = Incident.objects.filter(
        access.visible_q("organisation__", roles=THEMES_ROLES)
    )
    earliest = scope.aggregate(m=Min("aware_at"))["m"]
    period = themes.period_for(
        period_key,
        today,
        earliest.astimezone(clock.LONDON).date() if earliest else None,
    )
    rows = list(
        _in_period(scope, period)
        .annotate(
            first_ico=Min(
                "notifications__made_at",
                filter=Q(notifications__recipient=Recipient.ICO),
            )
        )
        .values(
            "aware_at",
            "organisation__path",
            "annual_category",
            "kind",
            "special_category",
            "vulnerable",
            "financial",
            "notifiable",
            "root_cause",
            "first_ico",
        )
    )
    departments = dict(
        Organisation.objects.filter(kind=Kind.DEPARTMENT).values_list(
            "path", "name"
        )
    )
    return themes.build(
        period=period,
        rows=rows,
        departments=departments,
        lessons=_lessons(access, scope, period),
        today=today,
    )


def themes_periods(*, access: Access) -> list[themes.Period]:
    scope = Incident.objects.filter(
        access.visible_q("organisation__", roles=THEMES_ROLES)
    )
    earliest = scope.aggregate(m=Min("aware_at"))["m"]
    return themes.periods(
        timezone.localdate(),
        earliest.astimezone(clock.LONDON).date() if earliest else None,
    )
