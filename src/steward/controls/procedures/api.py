"""API to record, read and change an organisation's procedures.

Handlers are thin: the same selectors and services as the pages. The
owner is named by email address; requirements by URN from the current
catalogue; a document is uploaded as multipart form data.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from steward.accounts.models import User
from steward.common.errors import Invalid
from steward.controls import selectors, services
from steward.controls.procedures import selectors as proc_selectors
from steward.controls.procedures import services as proc_services
from steward.controls.procedures.forms import check_upload
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access, api_access

router = Router(tags=["standards"])


_access = api_access


class ProcedureIn(Schema):
    title: str
    version: str
    owner_email: str
    next_review: dt.date
    requirements: list[str] = []
    document_url: str = ""
    reason: str = ""


class ReviewIn(Schema):
    version: str
    next_review: dt.date


class WithdrawIn(Schema):
    reason: str


class DocumentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ChangeOut(Schema):
    event: str
    changes: dict
    reason: str
    at: dt.datetime
    by: str


class ProcedureDetailOut(Schema):
    id: int
    organisation: str
    title: str
    version: str
    owner: str
    next_review: dt.date
    status: str
    document_url: str
    requirements: list[str]
    documents: list[DocumentOut]
    history: list[ChangeOut]


def _owner(email: str) -> User:
    user = User.objects.filter(
        email=email.strip().lower(), is_active=True
    ).first()
    if user is None:
        raise Invalid(
            {"owner_email": "No one with this email address has an account"}
        )
    return user


def _detail(access: Access, pk: int) -> dict:
    p = selectors.procedure_get(access=access, pk=pk)
    return {
        "id": p.pk,
        "organisation": p.organisation.code,
        "title": p.title,
        "version": p.version,
        "owner": p.owner.full_name,
        "next_review": p.next_review,
        "status": p.status,
        "document_url": p.document_url,
        "requirements": sorted(link.urn for link in p.links.all()),
        "documents": list(
            proc_selectors.procedure_documents(access=access, procedure=p)
        ),
        "history": [
            {
                "event": c.event,
                "changes": c.changes,
                "reason": c.reason,
                "at": c.at,
                "by": c.by.full_name if c.by else c.actor_label,
            }
            for c in proc_selectors.procedure_history(
                access=access, procedure=p
            )
        ],
    }


@router.post(
    "/organisations/{code}/procedures",
    response={201: ProcedureDetailOut},
    summary="Record a procedure of an organisation",
)
def procedure_create(request: HttpRequest, code: str, payload: ProcedureIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    organisation = org_selectors.organisation_get(access=access, code=code)
    procedure = services.procedure_create(
        access=access,
        organisation=organisation,
        title=payload.title,
        version=payload.version,
        owner=_owner(payload.owner_email),
        next_review=payload.next_review,
        requirement_urns=payload.requirements,
        document_url=payload.document_url,
    )
    return 201, _detail(access, procedure.pk)


@router.get(
    "/procedures/{procedure_id}",
    response=ProcedureDetailOut,
    summary="A procedure with its requirements, documents and history",
)
def procedure_get(request: HttpRequest, procedure_id: int):  # type: ignore[no-untyped-def]
    return _detail(_access(request), procedure_id)


@router.put(
    "/procedures/{procedure_id}",
    response=ProcedureDetailOut,
    summary="Change a procedure's details and requirements",
)
def procedure_update(  # type: ignore[no-untyped-def]
    request: HttpRequest, procedure_id: int, payload: ProcedureIn
):
    access = _access(request)
    procedure = selectors.procedure_get(access=access, pk=procedure_id)
    proc_services.procedure_update(
        access=access,
        procedure=procedure,
        title=payload.title,
        version=payload.version,
        owner=_owner(payload.owner_email),
        next_review=payload.next_review,
        requirement_urns=payload.requirements,
        document_url=payload.document_url,
        reason=payload.reason,
    )
    return _detail(access, procedure.pk)


@router.post(
    "/procedures/{procedure_id}/review",
    response=ProcedureDetailOut,
    summary="Record a review: the new version and the next review date",
)
def procedure_review(  # type: ignore[no-untyped-def]
    request: HttpRequest, procedure_id: int, payload: ReviewIn
):
    access = _access(request)
    procedure = selectors.procedure_get(access=access, pk=procedure_id)
    services.procedure_review(
        access=access,
        procedure=procedure,
        version=payload.version,
        next_review=payload.next_review,
    )
    return _detail(access, procedure.pk)


@router.post(
    "/procedures/{procedure_id}/withdraw",
    response=ProcedureDetailOut,
    summary="Withdraw a procedure (kept, but it covers nothing)",
)
def procedure_withdraw(  # type: ignore[no-untyped-def]
    request: HttpRequest, procedure_id: int, payload: WithdrawIn
):
    access = _access(request)
    procedure = selectors.procedure_get(access=access, pk=procedure_id)
    if not payload.reason.strip():
        raise Invalid({"reason": "Enter why the procedure is withdrawn"})
    services.procedure_withdraw(
        access=access, procedure=procedure, reason=payload.reason[:500]
    )
    return _detail(access, procedure.pk)


@router.post(
    "/procedures/{procedure_id}/document",
    response=ProcedureDetailOut,
    summary="Upload the procedure's document (multipart, field 'file')",
)
def procedure_document(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    procedure_id: int,
    file: UploadedFile = File(None),  # noqa: B008
):
    access = _access(request)
    # Scope first: a procedure out of reach is not found, whatever sent.
    procedure = selectors.procedure_get(access=access, pk=procedure_id)
    if file is None:
        raise Invalid({"file": "Choose the document to upload"})
    proc_services.procedure_document_upload(
        access=access, procedure=procedure, document=check_upload(file, "file")
    )
    return _detail(access, procedure.pk)
