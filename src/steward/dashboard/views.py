"""Each person's home page: what needs their attention, by role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from steward.actions import selectors as action_selectors
from steward.actions.permissions import PLANNERS
from steward.incidents import selectors as incident_selectors
from steward.organisations import selectors as org_selectors
from steward.organisations.models import Role
from steward.trail.views import described, scoped_events


def _role_summary(request: HttpRequest) -> list[dict[str, str]]:
    rows = []
    for m in request.user.memberships.filter(  # type: ignore[union-attr]
        revoked_at__isnull=True
    ).select_related("organisation"):
        rows.append(
            {
                "role": m.get_role_display(),
                "organisation": m.organisation.name,
                "code": m.organisation.code,
            }
        )
    return rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    context: dict[str, object] = {
        "roles": _role_summary(request),
        "is_central": Role.CENTRAL in access.roles,
        "is_siro": Role.SIRO in access.roles,
        "is_auditor": Role.AUDITOR in access.roles,
        "is_guardian": Role.GUARDIAN in access.roles,
        "is_iao": Role.IAO in access.roles,
    }
    if access.roles - {Role.AUDITOR}:
        context["without_siro"] = list(
            org_selectors.departments_without_siro(access=access)[:20]
        )
        context["recent_events"] = described(list(scoped_events(access)[:5]))
        context["my_actions"] = list(
            action_selectors.action_list(
                access=access,
                filters=action_selectors.Filters(status="open", mine=True),
            )[:10]
        )
        if access.has_any(PLANNERS):
            context["overdue_actions"] = action_selectors.action_list(
                access=access,
                filters=action_selectors.Filters(overdue=True),
            ).count()
        context["open_incidents"] = [
            (i, incident_selectors.incident_clock(incident=i))
            for i in incident_selectors.open_incidents(access=access)
        ]
    if Role.AUDITOR in access.roles:
        context["ico_notifications"] = list(
            incident_selectors.notification_list(access=access).filter(
                recipient="ico"
            )[:10]
        )
    return render(request, "dashboard/home.html", context)


@login_required
def signout(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/signout.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/accessibility.html")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
