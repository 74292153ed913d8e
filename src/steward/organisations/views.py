"""Pages for organisations, the people in them and their API keys.

Views parse, call one selector or service, and render. Every read goes
through ``selectors`` with the viewer's access; every write through
``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from steward.accounts.models import User
from steward.common.errors import Forbidden, Invalid
from steward.organisations import forms, selectors, services
from steward.organisations.access import department_page_access
from steward.organisations.models import Kind, Role

_access = department_page_access


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = forms.OrganisationSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    qs = selectors.organisation_list(access=access, search=search, kind=kind)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    rows = [
        [
            {
                "html": format_html(
                    '<a class="govuk-link steward-tree-depth-{}" '
                    'href="{}">{}</a>',
                    min(o.depth, 3),
                    reverse("organisations:detail", args=[o.code]),
                    o.name,
                )
            },
            {"text": o.get_kind_display()},
            {"text": o.code},
        ]
        for o in page.object_list
    ]
    return render(
        request,
        "organisations/list.html",
        {
            "form": form,
            "page": page,
            "kind": kind,
            "kinds": Kind.choices,
            "table": {
                "head": [{"text": "Name"}, {"text": "Kind"}, {"text": "Code"}],
                "rows": rows,
            },
        },
    )


@login_required
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    siro = selectors.current_siro(organisation=org)
    return render(
        request,
        "organisations/detail.html",
        {
            "org": org,
            "siro": siro,
            "children": selectors.organisation_children(
                access=access, organisation=org
            ),
            "memberships": selectors.membership_list(
                access=access, organisation=org
            ),
            "siro_history": selectors.siro_history(
                access=access, organisation=org
            ),
            "can_grant": bool(
                services.grantable_roles(access=access, organisation=org)
            ),
            "can_appoint": org.kind in services.SIRO_KINDS
            and (
                access.has_role([Role.CENTRAL], org)
                or (siro is not None and siro.person_id == access.user_id)
            ),
            "can_keys": access.has_role(selectors.KEY_MANAGERS, org),
        },
    )


@login_required
def person_add(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    roles = services.grantable_roles(access=access, organisation=org)
    if not roles:
        raise Forbidden(
            "Only a SIRO or the central team can give people roles"
        )
    form = forms.AddPersonForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = User.objects.filter(email=data["email"].lower()).first()
        try:
            if existing is not None:
                services.membership_grant(
                    access=access,
                    user=existing,
                    organisation=org,
                    role=data["role"],
                )
            else:
                services.user_create(
                    access=access,
                    email=data["email"],
                    full_name=data["full_name"],
                    organisation=org,
                    role=data["role"],
                )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(
                request,
                f"{Role(data['role']).label} role given to {data['email']}",
            )
            return redirect("organisations:detail", code=org.code)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Give someone a role",
            "caption": org.name,
            "back_url": f"/organisations/{org.code}/",
            "intro": "A new person gets an account and sets their password "
            "with 'Forgotten your password?'.",
            "submit_label": "Give role",
        },
    )


@login_required
@require_POST
def membership_revoke(
    request: HttpRequest, code: str, pk: int
) -> HttpResponse:
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    membership = selectors.membership_get(access=access, pk=pk)
    if membership.organisation_id != org.pk:
        return redirect("organisations:detail", code=org.code)
    try:
        services.membership_revoke(access=access, membership=membership)
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(request, "Role revoked")
    return redirect("organisations:detail", code=org.code)


@login_required
def appoint_siro(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    siro = selectors.current_siro(organisation=org)
    if not (
        access.has_role([Role.CENTRAL], org)
        or (siro is not None and siro.person_id == access.user_id)
    ):
        raise Forbidden(
            "Only the central team or the serving SIRO can appoint a SIRO"
        )
    form = forms.AppointSiroForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(
            email=form.cleaned_data["email"].lower(), is_active=True
        ).first()
        if person is None:
            form.add_error(
                "email",
                "No one with this email address has an "
                "account. Give them a role first",
            )
        else:
            try:
                services.siro_appoint(
                    access=access,
                    organisation=org,
                    person=person,
                    reason=form.cleaned_data["reason"],
                )
            except Invalid as exc:
                form.add_invalid(exc)
            else:
                messages.success(request, f"{person} is now the SIRO")
                return redirect("organisations:detail", code=org.code)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Appoint a Senior Information Risk Owner",
            "caption": org.name,
            "back_url": f"/organisations/{org.code}/",
            "intro": (
                f"The current SIRO is {siro.person}. "
                if siro
                else "This organisation has no SIRO. "
            )
            + "The change is recorded with the reason you give.",
            "submit_label": "Appoint",
        },
    )


@login_required
def apikey_list(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    keys = selectors.apikey_list(access=access, organisation=org)
    form = forms.ApiKeyForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = services.apikey_create(
                access=access,
                organisation=org,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            form = forms.ApiKeyForm()
    return render(
        request,
        "organisations/apikeys.html",
        {
            "org": org,
            "keys": keys,
            "form": form,
            "secret": secret,
        },
    )


@login_required
@require_POST
def apikey_revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    key = selectors.apikey_get(access=access, pk=pk)
    try:
        services.apikey_revoke(access=access, key=key)
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(request, f"API key '{key.name}' revoked")
    return redirect("organisations:apikeys", code=org.code)
