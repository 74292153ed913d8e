"""API for Statements of Internal Control: list, draft, read, edit, draft
again and sign. Signing needs a person's session verified with their
second factor (the API's session authentication requires it of a SIRO);
an API key cannot sign."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from steward.common.errors import Forbidden
from steward.common.pagination import Pages
from steward.controls.statements import selectors, services
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access

router = Router(tags=["statements"])


def _scoped(request: HttpRequest) -> Access:
    """For one statement: its scoped read says 404 or 403."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _access(request: HttpRequest) -> Access:
    access: Access = request.auth  # type: ignore[attr-defined]
    if not selectors.can_read(access):
        raise Forbidden(
            "Statements of Internal Control are read by the SIRO, Data "
            "Guardians, IAOs and the central team"
        )
    return access


class StatementOut(Schema):
    id: int
    organisation: str
    period: str
    status: str
    text: str
    assessment: int | None
    sources: dict
    updated_at: dt.datetime
    signed_by: str
    signed_at: dt.datetime | None
    signed_digest: str

    @staticmethod
    def resolve_organisation(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.organisation.code

    @staticmethod
    def resolve_assessment(obj) -> int | None:  # type: ignore[no-untyped-def]
        return obj.assessment_id

    @staticmethod
    def resolve_signed_by(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.signed_by.full_name if obj.signed_by else ""


class DraftIn(Schema):
    organisation: str
    period: str


class TextIn(Schema):
    text: str


@router.get(
    "/statements",
    response=list[StatementOut],
    summary="Statements of Internal Control within reach",
)
@paginate(Pages)
def statement_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, period: str = "", status: str = ""
):
    return selectors.statement_list(
        access=_access(request), period=period[:20], status=status[:20]
    )


@router.post(
    "/statements",
    response={201: StatementOut},
    summary="Draft an organisation's statement for a financial year",
)
def statement_draft(request: HttpRequest, payload: DraftIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    organisation = org_selectors.organisation_get(
        access=access, code=payload.organisation[:40]
    )
    statement = services.statement_draft(
        access=access, organisation=organisation, period=payload.period[:20]
    )
    return 201, selectors.statement_get(access=access, pk=statement.pk)


@router.get("/statements/{statement_id}", response=StatementOut)
def statement_get(request: HttpRequest, statement_id: int):  # type: ignore[no-untyped-def]
    return selectors.statement_get(access=_scoped(request), pk=statement_id)


@router.put(
    "/statements/{statement_id}",
    response=StatementOut,
    summary="Edit a draft statement's text",
)
def statement_update(  # type: ignore[no-untyped-def]
    request: HttpRequest, statement_id: int, payload: TextIn
):
    access = _scoped(request)
    statement = selectors.statement_get(access=access, pk=statement_id)
    services.statement_update(
        access=access, statement=statement, text=payload.text
    )
    return selectors.statement_get(access=access, pk=statement_id)


@router.post(
    "/statements/{statement_id}/redraft",
    response=StatementOut,
    summary="Draft the statement again from today's records",
)
def statement_redraft(request: HttpRequest, statement_id: int):  # type: ignore[no-untyped-def]
    access = _scoped(request)
    statement = selectors.statement_get(access=access, pk=statement_id)
    services.statement_redraft(access=access, statement=statement)
    return selectors.statement_get(access=access, pk=statement_id)


@router.post(
    "/statements/{statement_id}/sign",
    response=StatementOut,
    summary="The SIRO signs the statement (two-factor session only)",
)
def statement_sign(request: HttpRequest, statement_id: int):  # type: ignore[no-untyped-def]
    access = _scoped(request)
    statement = selectors.statement_get(access=access, pk=statement_id)
    user = getattr(request, "user", None)
    verified = bool(
        access.user_id is not None
        and user is not None
        and user.is_authenticated
        and user.is_verified()
    )
    services.statement_sign(
        access=access, statement=statement, two_factor_verified=verified
    )
    return selectors.statement_get(access=access, pk=statement_id)
