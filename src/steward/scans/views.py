"""Pages for scans: results, locations, and starting a scan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from steward.common.errors import Invalid
from steward.organisations import selectors as org_selectors
from steward.organisations.access import page_access
from steward.scans import forms, selectors, services

_access = page_access


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    unregistered = request.GET.get("unregistered") == "1"
    runs = selectors.run_list(access=access, unregistered=unregistered)
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "scans/list.html",
        {
            "page": page,
            "unregistered": unregistered,
            "locations": selectors.location_list(access=access),
            "can_add": access.has_any(services.SCANNERS),
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(access=_access(request), pk=pk)
    return render(request, "scans/detail.html", {"run": run})


@login_required
def location_add(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    orgs = org_selectors.organisation_list(access=access)
    form = forms.LocationForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        org = org_selectors.organisation_get(
            access=access, code=form.cleaned_data["organisation"]
        )
        try:
            services.location_create(
                access=access,
                organisation=org,
                name=form.cleaned_data["name"],
                target=form.cleaned_data["target"],
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, "Scan location added")
            return redirect("scans:list")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Add a scan location",
            "back_url": "/scans/",
            "submit_label": "Add location",
            "intro": "A folder, file share or database that the background "
            "worker can read. Scans find personal data there and "
            "flag bulk data that no registered asset accounts for.",
        },
    )


@login_required
@require_POST
def location_scan(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    location = selectors.location_get(access=access, pk=pk)
    run = services.scan_start(access=access, location=location)
    messages.success(request, f"Scan of {location.name} queued")
    return redirect("scans:detail", pk=run.pk)
