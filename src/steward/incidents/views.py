"""Pages for incidents: report, register, the incident with its clock,
the guardian's completion, grading, override and notifications, and the
notifications the regulator and the central team receive.

Views parse, call one selector or service, and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from steward.actions import forms as action_forms
from steward.actions import permissions as action_permissions
from steward.actions import selectors as action_selectors
from steward.actions import services as action_services
from steward.assets import selectors as asset_selectors
from steward.common import components, spreadsheets
from steward.common.errors import Forbidden, Invalid
from steward.common.forms import yes_no
from steward.common.views import submitted
from steward.incidents import (
    clock,
    exporting,
    forms,
    notices,
    selectors,
    services,
)
from steward.incidents.models import (
    Delivery,
    DeliveryStatus,
    Incident,
    Recipient,
)
from steward.incidents.permissions import HANDLERS, can_handle
from steward.organisations.access import Access, page_access
from steward.organisations.models import Role

PER_PAGE = 50


_access = page_access


def _department_access(request: HttpRequest) -> Access:
    access = _access(request)
    if not access.roles - {Role.AUDITOR}:
        raise Forbidden(
            "The regulator sees departments' incidents only through the "
            "notifications sent to it"
        )
    return access


def _clock_html(incident: Incident) -> str:
    c = selectors.incident_clock(incident=incident)
    return components.render(
        "tag", {"text": c.state.capitalize(), "classes": c.tag_colour}
    ) + format_html(" {}", c.text)


def _filters(form: forms.FilterForm) -> selectors.Filters:
    d = form.cleaned_data if form.is_valid() else {}
    return selectors.Filters(
        search=d.get("q", ""),
        status=d.get("status", ""),
        category=d.get("category", ""),
        notifiable=yes_no(d.get("notifiable")),
        sort=d.get("sort") or "aware",
    )


def _rows(incidents: list[Incident]) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "html": format_html(
                    '<a class="govuk-link" href="{}">{}</a><br>'
                    '<span class="govuk-hint govuk-!-font-size-16">{}</span>',
                    reverse("incidents:detail", args=[i.pk]),
                    i.summary,
                    i.reference,
                )
            },
            {"text": i.organisation.name},
            {"text": clock.london(i.aware_at)},
            {"text": i.get_status_display()},
            {
                "text": {True: "Yes", False: "No"}.get(
                    i.notifiable, "Not graded"
                )
            },
            {"html": format_html("{}", _clock_html(i))},
        ]
        for i in incidents
    ]


_HEAD = [
    {"text": "Incident"},
    {"text": "Organisation"},
    {"text": "Became aware"},
    {"text": "Status"},
    {"text": "Notifiable"},
    {"text": "72-hour clock"},
]


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    access = _department_access(request)
    form = forms.FilterForm(request.GET or None)
    qs = selectors.incident_list(access=access, filters=_filters(form))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/list.html",
        {
            "form": form,
            "page": page,
            "is_handler": access.has_any(HANDLERS),
            "can_see_themes": selectors.can_see_themes(access),
            "table": {
                "caption": "Incidents",
                "captionClasses": "govuk-visually-hidden",
                "head": _HEAD,
                "rows": _rows(list(page.object_list)),
            },
        },
    )


def _register(request: HttpRequest) -> Any:
    access = _department_access(request)
    form = forms.FilterForm(request.GET or None)
    return selectors.incident_list(access=access, filters=_filters(form))


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    return spreadsheets.download(
        exporting.rows(_register(request)),
        fmt=fmt,
        name="breach-register",
        title="Breach register",
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@login_required
def incident_report(request: HttpRequest) -> HttpResponse:
    access = _department_access(request)
    orgs = selectors.reportable_organisations(access=access)
    if not orgs:
        raise Forbidden("Your role does not allow reporting incidents here")
    assets = asset_selectors.asset_list(access=access)[:100]
    form = forms.ReportForm(
        request.POST or None,
        organisations=[(o.code, o.name) for o in orgs],
        assets=[(str(a.pk), f"{a.name} ({a.reference})") for a in assets],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = next(o for o in orgs if o.code == d["organisation"])
        chosen = [a for a in assets if str(a.pk) in d.get("assets", [])]
        try:
            incident = services.incident_report(
                access=access,
                organisation=org,
                summary=d["summary"],
                description=d["description"],
                aware_at=form.aware_at(),
                occurred_at=form.occurred_at(),
                data_involved=d["data_involved"],
                people_estimate=d["people_estimate"],
                assets=chosen,
            )
        except Invalid as exc:
            form.add_invalid(
                Invalid(
                    {
                        {"aware_at": "aware_date", "occurred_at": (
                            "occurred_date")}.get(k, k): v  # fmt: skip
                        for k, v in exc.errors.items()
                    }
                )
            )
        else:
            messages.success(
                request,
                f"Incident {incident.reference} is reported. A Data "
                "Guardian will assess it.",
            )
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Report an incident",
            "back_url": reverse("incidents:list"),
            "intro": "Report a loss or possible compromise of personal data "
            "as soon as you know of it: the organisation may have only 72 "
            "hours to tell the Information Commissioner.",
            "submit_label": "Report incident",
        },
    )


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _department_access(request)
    incident = selectors.incident_get(access=access, pk=pk)
    handler = can_handle(access=access, organisation=incident.organisation)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "clock": selectors.incident_clock(incident=incident),
            "aware": clock.london(incident.aware_at),
            "occurred": clock.london(incident.occurred_at)
            if incident.occurred_at
            else "",
            "assets": list(incident.assets.all()),
            "notifications": selectors.incident_notifications(
                access=access, incident=incident
            ),
            "undelivered": selectors.undelivered(
                access=access, incident=incident
            ),
            "actions": list(
                action_selectors.actions_for_source(
                    access, "incident", incident.pk
                )
            ),
            "can_handle": handler and incident.status != "closed",
            "can_learn": handler,
        },
    )


def _handled(request: HttpRequest, pk: int) -> tuple[Access, Incident]:
    access = _department_access(request)
    incident = selectors.incident_get(access=access, pk=pk)
    if not can_handle(access=access, organisation=incident.organisation):
        raise Forbidden(
            "Only a Data Guardian, the SIRO or the central team can "
            "handle incidents"
        )
    return access, incident


def _form_page(
    request: HttpRequest,
    incident: Incident,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    done: str,
    title: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    """A guardian's form about one incident: on a valid POST, call the
    service (``write``) and go back to the incident; otherwise show the
    form with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, done)
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": title,
            "caption": f"{incident.reference}: {incident.summary}",
            "back_url": reverse("incidents:detail", args=[incident.pk]),
            "intro": intro,
            "submit_label": submit,
        },
    )


@login_required
def incident_complete(request: HttpRequest, pk: int) -> HttpResponse:
    access, incident = _handled(request, pk)
    initial = {n: getattr(incident, n) for n in services.COMPLETION_FIELDS}
    initial["on_premises"] = {True: "yes", False: "no"}.get(
        incident.on_premises, ""
    )
    if incident.individuals is None:
        initial["individuals"] = incident.people_estimate
    form = forms.CompleteForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        incident,
        form,
        lambda d: services.incident_complete(
            access=access, incident=incident, data=form.facts()
        ),
        "The incident's record is complete",
        "Complete the incident's record",
        "Save",
    )


@login_required
def incident_grade(request: HttpRequest, pk: int) -> HttpResponse:
    access, incident = _handled(request, pk)
    form = forms.GradeForm(
        request.POST or None,
        initial={"likelihood": incident.likelihood,
                 "severity": incident.severity},  # fmt: skip
    )
    return _form_page(
        request,
        incident,
        form,
        lambda d: services.incident_grade(
            access=access,
            incident=incident,
            likelihood=d["likelihood"],
            severity=d["severity"],
        ),
        "The incident is graded",
        "Grade the incident",
        "Grade",
        "Likelihood × severity, as the NHS Data Security and Protection "
        "Toolkit grades incidents: notifiable to the ICO when at least "
        "likely and at least minor. Special-category data, vulnerable "
        "people and encryption adjust the grade.",
    )


@login_required
def incident_override(request: HttpRequest, pk: int) -> HttpResponse:
    access, incident = _handled(request, pk)
    return _form_page(
        request,
        incident,
        forms.OverrideForm(request.POST or None),
        lambda d: services.incident_override(
            access=access,
            incident=incident,
            notifiable=d["notifiable"] == "yes",
            tell_subjects=d["tell_subjects"] == "yes",
            reason=d["reason"],
        ),
        "The override is recorded",
        "Override the grade",
        "Record override",
        "Record a decision that differs from the grade, and why.",
    )


@login_required
def incident_notify(request: HttpRequest, pk: int) -> HttpResponse:
    access, incident = _handled(request, pk)
    return _form_page(
        request,
        incident,
        forms.NotifyForm(request.POST or None),
        lambda d: services.notification_make(
            access=access,
            incident=incident,
            recipient=d["recipient"],
            phase=d["phase"],
            delay_reason=d["delay_reason"],
        ),
        "The notification is made and sent",
        "Notify",
        "Make and send notification",
        selectors.incident_clock(incident=incident).text,
    )


@login_required
def incident_learn(request: HttpRequest, pk: int) -> HttpResponse:
    access = _department_access(request)
    incident = selectors.incident_get(access=access, pk=pk)
    if not can_handle(access=access, organisation=incident.organisation):
        raise Forbidden(
            "Only a Data Guardian, the SIRO or the central team can "
            "record what was learned"
        )
    form = forms.LearnForm(
        request.POST or None,
        initial={
            "root_cause": incident.root_cause,
            "root_cause_detail": incident.root_cause_detail,
            "lessons": incident.lessons,
            "share_lessons": incident.share_lessons,
        },
    )
    return _form_page(
        request,
        incident,
        form,
        lambda d: services.incident_learn(
            access=access,
            incident=incident,
            root_cause=d["root_cause"],
            root_cause_detail=d["root_cause_detail"],
            lessons=d["lessons"],
            share_lessons=d["share_lessons"],
        ),
        "The root cause and lessons are recorded",
        "Root cause and lessons",
        "Save",
        "Why it happened and what should change. Lessons marked to share "
        "appear in the Cabinet Office's cross-government themes.",
    )


@login_required
def incident_action_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise an action on the incident: it links back here, and the
    check 'actions from incidents closed on time' counts it."""
    access = _department_access(request)
    incident = selectors.incident_get(access=access, pk=pk)
    if not can_handle(access=access, organisation=incident.organisation):
        raise Forbidden(
            "Only a Data Guardian, the SIRO or the central team can raise "
            "actions on an incident"
        )
    org = incident.organisation
    owners = action_permissions.eligible_owners(organisation=org)
    form = action_forms.ActionForm(
        request.POST or None,
        organisations=[org],
        owners=owners,
        initial={"organisation": org.code},
    )
    raised = submitted(
        request,
        form,
        lambda d: action_services.action_create(
            access=access,
            organisation=org,
            title=d["title"],
            description=d["description"],
            owner=next((u for u in owners if str(u.pk) == d["owner"]), None),
            due=d["due"],
            source_kind="incident",
            source_id=incident.pk,
        ),
        "Action raised",
    )
    if raised is not None:
        return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Raise an action",
            "caption": f"{incident.reference}: {incident.summary}",
            "back_url": reverse("incidents:detail", args=[incident.pk]),
            "intro": "What will be done to stop this happening again, by "
            "whom and by when.",
            "submit_label": "Raise action",
        },
    )


@login_required
@require_POST
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    access, incident = _handled(request, pk)
    try:
        services.incident_close(access=access, incident=incident)
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(request, "The incident is closed")
    return redirect("incidents:detail", pk=incident.pk)


_DELIVERY_TAGS = {
    DeliveryStatus.DELIVERED: "govuk-tag--green",
    DeliveryStatus.RETRYING: "govuk-tag--yellow",
    DeliveryStatus.FAILED: "govuk-tag--red",
}


def _delivery_html(access: Access, note: Any) -> str:
    """The latest attempt of each channel, as tags (for handlers)."""
    log = selectors.delivery_log(access=access, notification=note)
    latest = selectors.latest_deliveries(log)
    if not latest:
        return "Not yet attempted"
    return format_html_join(
        " ",
        "{}",
        (
            (
                components.render(
                    "tag",
                    {
                        "text": f"{d.get_channel_display()}: "
                        f"{d.get_status_display()}",
                        "classes": _DELIVERY_TAGS[d.status],
                    },
                ),
            )
            for d in latest.values()
        ),
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    qs = selectors.notification_list(access=access)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    handler = access.has_any(HANDLERS)
    rows = [
        [
            {
                "html": format_html(
                    '<a class="govuk-link" href="{}">{}</a>',
                    reverse("incidents:notification", args=[n.pk]),
                    f"{n.get_phase_display()} notification "
                    f"{n.content.get('reference', '')}",
                )
            },
            {"text": n.incident.organisation.name},
            {"text": n.get_recipient_display()},
            {"text": clock.london(n.made_at)},
            {"text": "Late" if n.late else "In time"},
        ]
        + ([{"html": _delivery_html(access, n)}] if handler else [])
        for n in page.object_list
    ]
    return render(
        request,
        "incidents/notifications.html",
        {
            "page": page,
            "table": {
                "caption": "Notifications",
                "captionClasses": "govuk-visually-hidden",
                "head": [
                    {"text": "Notification"},
                    {"text": "From"},
                    {"text": "To"},
                    {"text": "Made"},
                    {"text": "Timing"},
                ]
                + ([{"text": "Delivery"}] if handler else []),
                "rows": rows,
            },
        },
    )


@login_required
def notification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    note = selectors.notification_get(access=access, pk=pk)
    items = []
    for key, value in note.content.items():
        if isinstance(value, list):
            value = "; ".join(value)
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        items.append((notices.LABELS.get(key, key), value or "–"))
    log = selectors.delivery_log(access=access, notification=note)
    latest = selectors.latest_deliveries(log)
    return render(
        request,
        "incidents/notification.html",
        {
            "note": note,
            "items": items,
            "is_ico": note.recipient == Recipient.ICO,
            "made": clock.london(note.made_at),
            "log": log,
            "log_table": _log_table(log),
            "failed": [
                d for d in latest.values()
                if d.status == DeliveryStatus.FAILED
            ],
        },
    )


def _log_table(log: list[Delivery]) -> dict[str, Any]:
    return {
        "caption": "Delivery log",
        "captionClasses": "govuk-table__caption--m",
        "head": [
            {"text": "Channel"},
            {"text": "To"},
            {"text": "Attempt", "format": "numeric"},
            {"text": "When"},
            {"text": "Result"},
            {"text": "Reply"},
            {"text": "Next attempt"},
        ],
        "rows": [
            [
                {"text": d.get_channel_display()},
                {"text": d.destination},
                {"text": str(d.attempt), "format": "numeric"},
                {"text": clock.london(d.attempted_at)},
                {
                    "html": components.render(
                        "tag",
                        {
                            "text": d.get_status_display(),
                            "classes": _DELIVERY_TAGS[d.status],
                        },
                    )
                },
                {"text": d.response},
                {
                    "text": clock.london(d.next_retry_at)
                    if d.next_retry_at
                    else "–"
                },
            ]
            for d in log
        ],
    }


@login_required
@require_POST
def notification_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    access = _department_access(request)
    note = selectors.notification_get(access=access, pk=pk)
    if not can_handle(access=access, organisation=note.incident.organisation):
        raise Forbidden(
            "Only a Data Guardian, the SIRO or the central team can "
            "redeliver notifications"
        )
    try:
        services.notification_redeliver(
            access=access,
            notification=note,
            channel=request.POST.get("channel", ""),
        )
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(request, "Delivery will be tried again")
    return redirect("incidents:notification", pk=note.pk)


def _duration(hours: float | None) -> str:
    if hours is None:
        return "None notified yet"
    if hours <= 72:
        return f"{hours:.0f} hours"
    return f"{hours / 24:.0f} days ({hours:,.0f} hours)"


@login_required
def incident_themes(request: HttpRequest) -> HttpResponse:
    access = _department_access(request)
    if not selectors.can_see_themes(access):
        raise Forbidden(
            "Only the central team and SIROs see cross-government themes"
        )
    periods = selectors.themes_periods(access=access)
    form = forms.ThemesForm(
        request.GET or None, periods=[(p.key, p.label) for p in periods]
    )
    key = form.cleaned_data.get("period", "") if form.is_valid() else ""
    result = selectors.themes_for(access=access, period_key=key or "12m")
    return render(
        request,
        "incidents/themes.html",
        {
            "form": form,
            "themes": result,
            "charts": [
                {"chart": c, "table_html": components.render("table", c.table)}
                for c in result.charts
            ],
            "is_central": Role.CENTRAL in access.roles,
            "median": _duration(result.median_hours),
        },
    )
