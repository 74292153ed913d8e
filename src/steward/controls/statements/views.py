"""Pages for Statements of Internal Control: the list, drafting one for a
year, the statement with the records it was drawn from, editing the
draft, drafting it again, and the SIRO's signature. Views parse, call
one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.common.errors import Forbidden, Invalid
from steward.controls.periods import year_of
from steward.controls.procedures.views import posted
from steward.controls.statement_models import Statement, StatementStatus
from steward.controls.statements import forms, selectors, services
from steward.organisations.access import Access


def _scoped(request: HttpRequest) -> Access:
    """For pages of one statement: its scoped read says 404 or 403."""
    return request.access  # type: ignore[attr-defined,no-any-return]


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    if not selectors.can_read(access):
        raise Forbidden(
            "Statements of Internal Control are read by the SIRO, Data "
            "Guardians, IAOs and the central team"
        )
    return access


def _paragraphs(text: str) -> list[dict[str, Any]]:
    """The statement as paragraphs and lists for the page (no HTML in
    the stored text, so nothing to sanitise)."""
    out: list[dict[str, Any]] = []
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        items = [line[2:] for line in lines if line.startswith("- ")]
        rest = [line for line in lines if not line.startswith("- ")]
        if rest:
            text = " ".join(rest)
            # A short line with no full stop is a heading.
            heading = len(text) <= 80 and not text.rstrip().endswith(
                (".", ":")
            )
            out.append({"heading" if heading else "text": text})
        if items:
            out.append({"items": items})
    return out


@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    status = request.GET.get("status", "")
    if status not in StatementStatus.values:
        status = ""
    rows = list(
        selectors.statement_list(
            access=access,
            period=request.GET.get("period", "")[:20],
            status=status,
        )[:500]
    )
    return render(
        request,
        "controls/statements/list.html",
        {
            "statements": rows,
            "can_draft": selectors.draftable_organisations(
                access=access
            ).exists(),
            "status": status,
            "statuses": StatementStatus.choices,
        },
    )


@login_required
def statement_draft(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    orgs = list(selectors.draftable_organisations(access=access))
    if not orgs:
        raise Forbidden(
            "Only a Data Guardian or the SIRO drafts the statement"
        )
    form = forms.DraftForm(
        *posted(request),
        initial={"period": year_of(timezone.localdate()).code},
        organisations=[(o.code, o.name) for o in orgs],
    )
    if request.method == "POST" and form.is_valid():
        org = next(
            o for o in orgs if o.code == form.cleaned_data["organisation"]
        )
        try:
            statement = services.statement_draft(
                access=access,
                organisation=org,
                period=form.cleaned_data["period"],
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(
                request,
                "The draft is ready. Read it, edit it, and ask the SIRO to "
                "sign it.",
            )
            return redirect("controls:statement", pk=statement.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Draft a Statement of Internal Control",
            "back_url": reverse("controls:statements"),
            "intro": "Steward drafts the information-assurance part of the "
            "year's statement from the organisation's assessment, its open "
            "findings and their action plans, and its procedures. You can "
            "edit the draft before the SIRO signs it.",
            "submit_label": "Draft statement",
        },
    )


@login_required
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _scoped(request)
    statement = selectors.statement_get(access=access, pk=pk)
    return render(
        request,
        "controls/statements/detail.html",
        {
            "statement": statement,
            "paragraphs": _paragraphs(statement.text),
            "sources": selectors.statement_sources(
                access=access, statement=statement
            ),
            "can_edit": selectors.can_edit(access, statement),
            "can_sign": selectors.can_sign(access, statement),
            "figures": (statement.sources or {}).get("figures", {}),
        },
    )


def _editable(request: HttpRequest, pk: int) -> tuple[Access, Statement]:
    access = _scoped(request)
    statement = selectors.statement_get(access=access, pk=pk)
    if not access.has_role(services.STATEMENT_EDITORS, statement.organisation):
        raise Forbidden("Only a Data Guardian or the SIRO edits the statement")
    return access, statement


@login_required
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access, statement = _editable(request, pk)
    if statement.is_signed:
        raise Forbidden("The statement is signed: it can be read, not changed")
    form = forms.EditForm(*posted(request), initial={"text": statement.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_update(
                access=access,
                statement=statement,
                text=form.cleaned_data["text"],
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, "The draft is saved")
            return redirect("controls:statement", pk=statement.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Edit the statement",
            "caption": f"{statement.organisation.name}, {statement.period}",
            "back_url": reverse("controls:statement", kwargs={"pk": pk}),
            "submit_label": "Save draft",
        },
    )


@login_required
@require_POST
def statement_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    access, statement = _editable(request, pk)
    services.statement_redraft(access=access, statement=statement)
    messages.success(
        request, "The statement is drafted again from today's records"
    )
    return redirect("controls:statement", pk=statement.pk)


@login_required
def statement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    access = _scoped(request)
    statement = selectors.statement_get(access=access, pk=pk)
    if not access.has_role(services.STATEMENT_SIGNERS, statement.organisation):
        raise Forbidden("Only the SIRO signs the statement")
    if statement.is_signed:
        raise Forbidden("The statement is already signed")
    form = forms.SignForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_sign(
                access=access,
                statement=statement,
                two_factor_verified=request.user.is_verified(),  # type: ignore[union-attr]
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, "You have signed the statement")
            return redirect("controls:statement", pk=statement.pk)
    return render(
        request,
        "controls/statements/sign.html",
        {
            "form": form,
            "statement": statement,
            "paragraphs": _paragraphs(statement.text),
        },
    )
