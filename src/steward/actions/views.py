"""Pages for action plans: everything the viewer may see, one action with
its history, raising an action, and CSV/XLSX export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from steward.accounts.models import User
from steward.actions import forms, permissions, selectors, services, sources
from steward.common import spreadsheets
from steward.common.errors import Forbidden, NotFound
from steward.common.views import submitted
from steward.organisations import selectors as org_selectors
from steward.organisations.access import page_access

PER_PAGE = 50


_access = page_access


def _filters(
    request: HttpRequest,
) -> tuple[forms.FilterForm, selectors.Filters]:
    # Until the user picks a status, the list shows what is still to do.
    default = "open"
    form = forms.FilterForm(request.GET or None, initial={"status": default})
    d = form.cleaned_data if form.is_valid() else {}
    return form, selectors.Filters(
        search=d.get("q", ""),
        status=d.get("status", "") if "status" in request.GET else default,
        overdue=bool(d.get("overdue")),
        mine=bool(d.get("mine")),
        sort=d.get("sort") or "due",
    )


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form, filters = _filters(request)
    qs = selectors.action_list(access=access, filters=filters)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/list.html",
        {
            "form": form,
            "page": page,
            "actions": page.object_list,
            "query": request.GET.urlencode(),
            "can_plan": access.has_any(permissions.PLANNERS),
        },
    )


def _user(pk: str) -> User | None:
    return User.objects.filter(pk=pk).first() if pk.isdigit() else None


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    orgs = [
        o
        for o in org_selectors.organisation_list(access=access)
        if permissions.can_plan(access=access, organisation=o)
    ]
    if not orgs:
        raise Forbidden("Your role does not allow raising actions")
    chosen = request.POST.get("organisation") or request.GET.get(
        "organisation"
    )
    if chosen is None and len(orgs) == 1:
        chosen = orgs[0].code
    org = next((o for o in orgs if o.code == chosen), None)
    if org is None:
        # First step: the owners to choose from depend on the organisation.
        select = {
            "id": "organisation",
            "name": "organisation",
            "label": {
                "text": "Which organisation is the action for?",
                "classes": "govuk-label--s",
            },
            "hint": {"text": "Its owner must hold a role there."},
            "items": [{"value": o.code, "text": o.name} for o in orgs],
        }
        return render(
            request, "actions/choose_organisation.html", {"select": select}
        )
    form = forms.ActionForm(
        request.POST or None,
        initial={"organisation": org.code},
        organisations=[org],
        owners=permissions.eligible_owners(organisation=org),
    )
    action = submitted(
        request,
        form,
        lambda d: services.action_create(
            access=access,
            organisation=org,
            title=d["title"],
            description=d["description"],
            owner=_user(d["owner"]),
            due=d["due"],
        ),
        "Action raised",
    )
    if action is not None:
        return redirect("actions:detail", pk=action.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Raise an action",
            "back_url": reverse("actions:list"),
            "submit_label": "Raise action",
            "intro": "An action says who will do what by when. Actions on "
            "an assessment's finding or an incident are raised from its "
            "page, so that they link back to it.",
        },
    )


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    action = selectors.action_get(access=access, pk=pk)
    can_change = permissions.can_change(access=access, action=action)
    form = None
    if can_change:
        form = forms.UpdateForm(
            request.POST or None,
            owners=permissions.eligible_owners(
                organisation=action.organisation
            ),
            initial={
                "status": action.status,
                "owner": str(action.owner_id),
                "due": action.due.strftime("%d/%m/%Y"),
            },
        )
    if request.method == "POST" and form is None:
        raise Forbidden("You cannot change this action")
    if form is not None and submitted(
        request,
        form,
        lambda d: services.action_update(
            access=access,
            action=action,
            status=d["status"],
            due=d["due"],
            owner=_user(d["owner"]),
            note=d["note"],
        ),
        "Action updated",
    ):
        return redirect("actions:detail", pk=action.pk)
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "source": sources.describe(action.source_kind, action.source_id),
            "updates": action.updates.select_related("by"),
            "form": form,
        },
    )


def _rows(qs: Any) -> Any:
    yield [
        "Reference",
        "Organisation",
        "Action",
        "Owner",
        "Due",
        "Status",
        "Overdue",
        "Raised on",
        "Closed",
    ]
    for a in qs.iterator(chunk_size=2000):
        source = sources.describe(a.source_kind, a.source_id)
        yield [
            f"ACT-{a.pk}",
            a.organisation.name,
            a.title,
            a.owner.full_name,
            a.due.isoformat(),
            a.get_status_display(),
            "yes" if a.is_overdue else "no",
            source[0] if source else "",
            a.closed_at.date().isoformat() if a.closed_at else "",
        ]


@login_required
def action_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise NotFound("No such export")
    _form, filters = _filters(request)
    qs = selectors.action_list(access=_access(request), filters=filters)
    return spreadsheets.download(
        _rows(qs), fmt=fmt, name="actions", title="Actions"
    )
