"""Pages of the standards catalogue and of organisations' procedures.

Views parse, call one selector, and render. The catalogue is
government-wide; procedures are an organisation's own and are reached
only through its code, within the viewer's reach.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from steward.common.errors import Forbidden
from steward.controls import selectors
from steward.controls.models import ProcedureStatus
from steward.controls.services import PROCEDURE_KEEPERS
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    if not selectors.can_read_catalogue(access):
        raise Forbidden(
            "The regulator sees departments' records only "
            "through notifications and spot checks"
        )
    return access


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    return render(
        request,
        "controls/framework_list.html",
        {"versions": selectors.framework_list(access=access)},
    )


@login_required
def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = _access(request)
    version = selectors.framework_version_get(
        access=access, slug=slug, version=request.GET.get("version") or None
    )
    return render(
        request,
        "controls/framework_detail.html",
        {
            "version": version,
            "versions": selectors.framework_versions(
                access=access, framework=version.framework
            ),
            "requirements": selectors.requirement_list(
                access=access, version=version
            ),
            "mappings": selectors.mapping_list(access=access, version=version),
        },
    )


@login_required
def procedures(request: HttpRequest) -> HttpResponse:
    """The organisations whose procedures the viewer can see."""
    access = _access(request)
    return render(
        request,
        "controls/procedures.html",
        {"organisations": org_selectors.organisation_list(access=access)},
    )


@login_required
def coverage(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    organisation = org_selectors.organisation_get(access=access, code=code)
    return render(
        request,
        "controls/coverage.html",
        {
            "coverage": selectors.procedure_coverage(
                access=access, organisation=organisation
            ),
            "can_keep": access.has_role(PROCEDURE_KEEPERS, organisation),
            "withdrawn": selectors.procedure_list(
                access=access, organisation=organisation
            ).filter(status=ProcedureStatus.WITHDRAWN),
        },
    )
