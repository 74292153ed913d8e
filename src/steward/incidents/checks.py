"""The automated checks that incidents feed (``steward.controls.checks``).

Each counts, in the organisation's subtree, the incidents (or actions)
the rule applies to and those that fail it, in a fixed number of
queries. Incidents count when the organisation became aware of them in
the last year (``WINDOW``), so that an old failure does not speak for
today's practice for ever.

The UK GDPR file of the catalogue does not (yet) carry Art 33, so the
checks are bound to the ISO/IEC 27001:2022 Annex A incident controls and
the CAF lessons-learned outcomes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from steward.actions.models import OPEN_STATUSES, Action, ActionStatus
from steward.controls.checks import Result, check, outcome
from steward.incidents.models import Incident, Notification, Recipient
from steward.organisations.access import Access
from steward.organisations.models import Organisation

WINDOW = dt.timedelta(days=365)


def _visible(access: Access, organisation: Organisation) -> QuerySet:  # type: ignore[type-arg]
    return Organisation.objects.filter(
        access.visible_q(), path__startswith=organisation.path
    ).values("pk")


def _recent(access: Access, organisation: Organisation) -> QuerySet[Incident]:
    return Incident.objects.filter(
        organisation_id__in=_visible(access, organisation),
        aware_at__gte=timezone.now() - WINDOW,
    )


def _register(organisation: Organisation, query: str) -> str:
    return reverse("incidents:list") + query


@check(
    "incidents-notified-in-72-hours",
    title="Notifiable incidents are notified to the ICO within 72 hours",
    requirements=(
        "urn:steward:iso27001:a.5.26",
        "urn:steward:iso27001:a.6.8",
    ),
)
def notified_in_72_hours(access: Access, organisation: Organisation) -> Result:
    """Applies to each notifiable incident once it is notified or its 72
    hours have run out; fails when the first ICO notification came after
    the deadline, or none has come and the deadline has passed."""
    now = timezone.now()
    first = (
        Notification.objects.filter(
            incident=OuterRef("pk"), recipient=Recipient.ICO
        )
        .order_by("made_at")
        .values("made_at")[:1]
    )
    counts = (
        _recent(access, organisation)
        .filter(notifiable=True)
        .annotate(first_ico=Subquery(first))
        .aggregate(
            applicable=Count(
                "pk",
                filter=Q(first_ico__isnull=False) | Q(deadline__lt=now),
            ),
            failing=Count(
                "pk",
                filter=Q(first_ico__gt=F("deadline"))
                | Q(first_ico__isnull=True, deadline__lt=now),
            ),
        )
    )
    a, f = counts["applicable"], counts["failing"]
    return Result(
        outcome=outcome(a, f),
        applicable=a,
        failing=f,
        summary=f"{f} of {a} notifiable incidents in the last year were "
        "not notified to the ICO within 72 hours of awareness",
        links={
            "register": _register(
                organisation, "?notifiable=yes&sort=deadline"
            )
        },
    )


@check(
    "incidents-graded-in-time",
    title="Every incident is graded within "
    f"{settings.STEWARD_INCIDENT_GRADE_DAYS} days of awareness",
    requirements=("urn:steward:iso27001:a.5.25",),
)
def graded_in_time(access: Access, organisation: Organisation) -> Result:
    """Applies to each incident once it is graded or its grading window
    (``STEWARD_INCIDENT_GRADE_DAYS``, 3 by default: the grade decides
    whether the 72-hour notice is owed) has passed; fails when the first
    grade came late or has not come."""
    days = dt.timedelta(days=settings.STEWARD_INCIDENT_GRADE_DAYS)
    cutoff = timezone.now() - days
    counts = _recent(access, organisation).aggregate(
        applicable=Count(
            "pk",
            filter=Q(first_graded_at__isnull=False) | Q(aware_at__lt=cutoff),
        ),
        failing=Count(
            "pk",
            filter=Q(first_graded_at__gt=F("aware_at") + days)
            | Q(first_graded_at__isnull=True, aware_at__lt=cutoff),
        ),
    )
    a, f = counts["applicable"], counts["failing"]
    return Result(
        outcome=outcome(a, f),
        applicable=a,
        failing=f,
        summary=f"{f} of {a} incidents in the last year were not graded "
        f"within {days.days} days of awareness",
        links={"ungraded": _register(organisation, "?status=reported")},
    )


@check(
    "incident-actions-on-time",
    title="Actions from incidents are closed on time",
    requirements=("urn:steward:caf:d2.b", "urn:steward:iso27001:a.5.27"),
)
def incident_actions_on_time(
    access: Access, organisation: Organisation
) -> Result:
    """Applies to each action raised on an incident that is done, or
    still open past its due date (cancelled ones and those not yet due
    are left out); fails when it was done after its due date (London
    calendar) or is still open past it."""
    today = timezone.localdate()
    overdue = Q(status__in=OPEN_STATUSES, due__lt=today)
    done = Q(status=ActionStatus.DONE)
    counts = Action.objects.filter(
        organisation_id__in=_visible(access, organisation),
        source_kind="incident",
    ).aggregate(
        applicable=Count("pk", filter=done | overdue),
        failing=Count(
            "pk", filter=overdue | (done & Q(closed_at__date__gt=F("due")))
        ),
    )
    a, f = counts["applicable"], counts["failing"]
    return Result(
        outcome=outcome(a, f),
        applicable=a,
        failing=f,
        summary=f"{f} of {a} actions raised on incidents were closed late "
        "or are overdue",
        links={"overdue": reverse("actions:list") + "?overdue=on"},
    )
