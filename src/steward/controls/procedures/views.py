"""Pages to record, change, review and withdraw a procedure, upload its
document and read its history. Each view parses, calls one selector or
service, and renders. A procedure is reached only through the scoped
``selectors.procedure_get``; only a SIRO, Data Guardian or the central
team (``PROCEDURE_KEEPERS``) over its organisation may change it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from steward.common.errors import Forbidden
from steward.common.views import submitted
from steward.controls import selectors, services
from steward.controls.models import Procedure, ProcedureStatus
from steward.controls.procedures import forms, history
from steward.controls.procedures import selectors as proc_selectors
from steward.controls.procedures import services as proc_services
from steward.controls.views import _access
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access


def posted(request: HttpRequest) -> tuple:
    """The form's data and files when posted (even empty, so that an
    empty submission shows what is missing), else nothing: unbound."""
    if request.method == "POST":
        return (request.POST, request.FILES)
    return (None, None)


def _must_keep(access: Access, organisation: Any) -> None:
    if not proc_selectors.can_keep(access, organisation):
        raise Forbidden(
            "Only a SIRO or Data Guardian keeps the organisation's procedures"
        )


def _kept(request: HttpRequest, pk: int) -> tuple[Access, Procedure]:
    access = _access(request)
    procedure = selectors.procedure_get(access=access, pk=pk)
    _must_keep(access, procedure.organisation)
    return access, procedure


def _procedure_form(
    request: HttpRequest, procedure: Procedure | None, organisation: Any
) -> forms.ProcedureForm:
    initial: dict[str, Any] = {}
    if procedure is not None:
        urns = [link.urn for link in procedure.links.all()]
        catalogue = proc_selectors.requirement_choices()
        boxes = {
            r.urn for r in catalogue
            if r.version.framework.slug in forms.PRIMARY
        }  # fmt: skip
        initial = {
            "title": procedure.title,
            "version": procedure.version,
            "owner": str(procedure.owner_id),
            "next_review": procedure.next_review.isoformat(),
            "document_url": procedure.document_url,
            "requirements": [u for u in urns if u in boxes],
            "other": "\n".join(u for u in urns if u not in boxes),
        }
    return forms.ProcedureForm(
        *posted(request),
        initial=initial,
        owners=proc_selectors.owner_choices(organisation=organisation),
        catalogue=proc_selectors.requirement_choices(),
        with_reason=procedure is not None,
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    back: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": title,
            "caption": caption,
            "back_url": back,
            "intro": intro,
            "submit_label": submit,
        },
    )


def _on_valid(
    request: HttpRequest, form: Any, write: Callable[[], Procedure], done: str
) -> HttpResponse | None:
    """Call the service on a valid POST and go to the procedure; put its
    errors on the form otherwise (``common.views.submitted``)."""
    procedure = submitted(request, form, lambda _data: write(), done)
    if procedure is None:
        return None
    return redirect("controls:procedure", pk=procedure.pk)


@login_required
def procedure_create(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    organisation = org_selectors.organisation_get(access=access, code=code)
    _must_keep(access, organisation)
    form = _procedure_form(request, None, organisation)
    done = _on_valid(
        request,
        form,
        lambda: services.procedure_create(
            access=access,
            organisation=organisation,
            title=form.cleaned_data["title"],
            version=form.cleaned_data["version"],
            owner=form.cleaned_data["owner"],
            next_review=form.cleaned_data["next_review"],
            requirement_urns=form.urns(),
            document_url=form.cleaned_data["document_url"],
            document=form.checked_document(),
        ),
        "The procedure is recorded",
    )
    return done or _form_page(
        request,
        form,
        title="Record a procedure",
        caption=organisation.name,
        back=reverse("controls:coverage", kwargs={"code": organisation.code}),
        submit="Record procedure",
        intro="A procedure document of this organisation and the "
        "requirements of the current catalogue it implements. Upload the "
        "document or give a link to it.",
    )


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    procedure = selectors.procedure_get(access=access, pk=pk)
    documents = list(
        proc_selectors.procedure_documents(access=access, procedure=procedure)
    )
    return render(
        request,
        "controls/procedure_detail.html",
        {
            "procedure": procedure,
            "requirements": proc_selectors.procedure_requirements(
                procedure=procedure
            ),
            "documents": documents,
            "changes": [
                (c, history.describe(c))
                for c in proc_selectors.procedure_history(
                    access=access, procedure=procedure
                )
            ],
            "today": timezone.localdate(),
            "can_keep": proc_selectors.can_keep(access, procedure.organisation)
            and procedure.status == ProcedureStatus.CURRENT,
            "is_current": procedure.status == ProcedureStatus.CURRENT,
        },
    )


@login_required
def procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access, procedure = _kept(request, pk)
    form = _procedure_form(request, procedure, procedure.organisation)
    form.fields.pop("document")

    def write() -> Procedure:
        d = form.cleaned_data
        return proc_services.procedure_update(
            access=access,
            procedure=procedure,
            title=d["title"],
            version=d["version"],
            owner=d["owner"],
            next_review=d["next_review"],
            requirement_urns=form.urns(),
            document_url=d["document_url"],
            reason=d.get("reason", ""),
        )

    done = _on_valid(request, form, write, "The procedure is changed")
    return done or _form_page(
        request,
        form,
        title="Change the procedure",
        caption=f"{procedure.title} v{procedure.version}",
        back=reverse("controls:procedure", kwargs={"pk": procedure.pk}),
        submit="Save changes",
    )


@login_required
def procedure_review(request: HttpRequest, pk: int) -> HttpResponse:
    access, procedure = _kept(request, pk)
    form = forms.ReviewForm(
        *posted(request), initial={"version": procedure.version}
    )
    done = _on_valid(
        request,
        form,
        lambda: services.procedure_review(
            access=access,
            procedure=procedure,
            version=form.cleaned_data["version"],
            next_review=form.cleaned_data["next_review"],
        ),
        "The review is recorded",
    )
    return done or _form_page(
        request,
        form,
        title="Record a review",
        caption=f"{procedure.title} v{procedure.version}",
        back=reverse("controls:procedure", kwargs={"pk": procedure.pk}),
        submit="Record review",
        intro="The procedure was reviewed: give its version now and when "
        "it is next due for review.",
    )


@login_required
def procedure_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access, procedure = _kept(request, pk)
    form = forms.WithdrawForm(*posted(request))
    done = _on_valid(
        request,
        form,
        lambda: services.procedure_withdraw(
            access=access,
            procedure=procedure,
            reason=form.cleaned_data["reason"],
        ),
        "The procedure is withdrawn",
    )
    return done or _form_page(
        request,
        form,
        title="Withdraw the procedure",
        caption=f"{procedure.title} v{procedure.version}",
        back=reverse("controls:procedure", kwargs={"pk": procedure.pk}),
        submit="Withdraw procedure",
        intro="A withdrawn procedure is kept with its history, but no "
        "longer covers any requirement.",
    )


@login_required
def procedure_upload(request: HttpRequest, pk: int) -> HttpResponse:
    access, procedure = _kept(request, pk)
    form = forms.DocumentForm(*posted(request))
    done = _on_valid(
        request,
        form,
        lambda: proc_services.procedure_document_upload(
            access=access, procedure=procedure, document=form.checked()
        ),
        "The document is uploaded",
    )
    return done or _form_page(
        request,
        form,
        title="Upload the procedure's document",
        caption=f"{procedure.title} v{procedure.version}",
        back=reverse("controls:procedure", kwargs={"pk": procedure.pk}),
        submit="Upload",
        intro="The earlier documents stay in the procedure's history.",
    )


@login_required
def procedure_download(
    request: HttpRequest, pk: int, doc: int
) -> FileResponse:
    access = _access(request)
    procedure = selectors.procedure_get(access=access, pk=pk)
    document = proc_selectors.procedure_document_get(
        access=access, procedure=procedure, pk=doc
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
