"""The audit trail: who did what, when, in the viewer's organisations."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from steward.accounts.models import User
from steward.audit import selectors
from steward.audit.actions import ACTIONS
from steward.audit.models import AuditEvent
from steward.common.errors import Forbidden
from steward.common.forms import GovUKForm
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role
from steward.trail import selectors as ledger_selectors
from steward.trail import services, tasks
from steward.trail.models import LedgerVerification

# Times people read are London times (DESIGN: rules that hold).
LONDON = ZoneInfo("Europe/London")


class TrailFilterForm(GovUKForm):
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action")]
        + sorted((k, v.label) for k, v in ACTIONS.items()),
    )
    organisation = forms.CharField(
        label="Organisation code",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    actor = forms.EmailField(
        label="Who (email address)",
        required=False,
        error_messages={
            "invalid": "Enter an email address like name@example.gov.uk"
        },
    )
    record = forms.RegexField(
        label="Record",
        required=False,
        regex=r"^[a-z_]+\.[a-z_]+:[0-9A-Za-z-]{1,64}$",
        help_text="For example organisations.organisation:12",
        error_messages={
            "invalid": "Enter a record like organisations.organisation:12"
        },
    )
    since = forms.DateField(
        label="From (YYYY-MM-DD)",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter a date like 2026-04-01"},
    )


def scoped_events(access: Access) -> QuerySet[AuditEvent]:
    visible = org_selectors.organisation_list(access=access).values("pk")
    return selectors.event_list(
        actor_id=access.actor_id,
        organisation_ids=visible,
        where=selectors.EventFilter(),
    )


def described(events: list[AuditEvent]) -> list[dict[str, str]]:
    """Each event with the names of the person and organisation, looked up
    when shown (the trail itself holds only ids)."""
    user_ids = {
        int(e.actor_id.split(":")[1])
        for e in events
        if e.actor_id.startswith("user:")
    }
    names = dict(
        User.objects.filter(pk__in=user_ids).values_list("pk", "full_name")
    )
    org_ids = {e.organisation_id for e in events if e.organisation_id}
    orgs = dict(
        Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name")
    )
    rows = []
    for e in events:
        kind, _, ident = e.actor_id.partition(":")
        who = (
            names.get(int(ident), e.actor_id)
            if kind == "user"
            else (f"System ({ident})")
        )
        rows.append(
            {
                "when": e.occurred_at.astimezone(LONDON).strftime(
                    "%d %b %Y %H:%M"
                ),
                "who": who,
                "what": selectors.describe(e),
                "organisation": orgs.get(e.organisation_id, "–"),
                "record": f"{e.object_type} {e.object_id}",
            }
        )
    return rows


def _table_rows(events: list[AuditEvent]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": r[k]}
            for k in ("when", "who", "what", "organisation", "record")
        ]
        for r in described(events)
    ]


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    access: Access = request.access  # type: ignore[attr-defined]
    if not access.roles - {Role.AUDITOR}:
        raise Forbidden(
            "The audit trail is for the organisation's own "
            "staff; the regulator sees it through spot checks"
        )
    form = TrailFilterForm(request.GET or None)
    where = selectors.EventFilter()
    if form.is_valid():
        org = None
        code = form.cleaned_data["organisation"]
        if code:
            org = (
                org_selectors.organisation_list(access=access)
                .filter(code=code)
                .first()
            )
            if org is None:
                form.add_error(
                    "organisation", "No organisation you can see has that code"
                )
        actor_id = ""
        email = form.cleaned_data["actor"]
        if email:
            person = (
                org_selectors.people_list(access=access)
                .filter(email=email.lower())
                .first()
            )
            if person is None:
                form.add_error(
                    "actor",
                    "No one in your organisations has that email address",
                )
            else:
                actor_id = f"user:{person.pk}"
        object_type, _, object_id = form.cleaned_data["record"].partition(":")
        where = selectors.EventFilter(
            action=form.cleaned_data["action"],
            organisation_id=org.pk if org else None,
            since=form.cleaned_data["since"],
            actor_id=actor_id,
            object_type=object_type,
            object_id=object_id,
        )
    visible = org_selectors.organisation_list(access=access).values("pk")
    events = selectors.event_list(
        actor_id=access.actor_id, organisation_ids=visible, where=where
    )
    if form.errors:
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "trail/audit_trail.html",
        {
            "form": form,
            "page": page,
            "table": {
                "head": [
                    {"text": h}
                    for h in ("When", "Who", "What", "Organisation", "Record")
                ],
                "rows": _table_rows(list(page.object_list)),
            },
        },
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger's health, for the regulator and the central team."""
    access: Access = request.access  # type: ignore[attr-defined]
    state = ledger_selectors.ledger_state(access=access)
    return render(
        request,
        "trail/ledger.html",
        {
            "state": state,
            "last_check": LedgerVerification.objects.first(),
            "verify_every": settings.LEDGER_VERIFY_EVERY,
            "verify_every_text": _every(settings.LEDGER_VERIFY_EVERY),
            "next_check": tasks.next_scheduled_verification(),
            "waiting": AuditEvent.objects.filter(
                ledger_index__isnull=True
            ).count(),
        },
    )


def _every(interval: timedelta) -> str:
    """``1 day``, ``6 hours``, ``90 minutes``: the largest exact unit."""
    seconds = int(interval.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


@login_required
@require_POST
def ledger_verify(request: HttpRequest) -> HttpResponse:
    access: Access = request.access  # type: ignore[attr-defined]
    result = services.ledger_verify(access=access)
    if result.nothing_signed:
        messages.info(request, "Nothing to verify yet: no checkpoint has "
                      "been signed")
    elif result.ok:
        messages.success(
            request, f"The ledger verified: {result.size:,} entries"
        )
    else:
        messages.error(request, f"The ledger did not verify: {result.reason}")
    return redirect("audit:ledger")
