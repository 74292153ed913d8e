"""API for organisations, roles and SIRO appointments.

Handlers are thin: they call the same selectors and services as the pages.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from steward.accounts.models import User
from steward.common.errors import Invalid
from steward.common.pagination import Pages
from steward.organisations import selectors, services
from steward.organisations.access import api_access
from steward.organisations.models import Kind, Role

router = Router(tags=["organisations"])


_access = api_access


class OrganisationOut(Schema):
    code: str
    name: str
    kind: Kind
    parent: str | None = Field(None, alias="parent.code")
    is_active: bool


class MembershipOut(Schema):
    id: int
    person: str = Field(..., alias="user.full_name")
    person_id: int = Field(..., alias="user_id")
    role: Role
    granted_at: datetime
    revoked_at: datetime | None


class MembershipIn(Schema):
    email: str = Field(..., max_length=254)
    full_name: str = Field("", max_length=200)
    role: Role


class SiroOut(Schema):
    person: str = Field(..., alias="person.full_name")
    person_id: int
    started_at: datetime
    ended_at: datetime | None
    reason: str


class SiroIn(Schema):
    email: str = Field(..., max_length=254)
    reason: str = Field("", max_length=500)


class MeOut(Schema):
    actor: str
    roles: list[dict[str, str]]


@router.get("/me", response=MeOut, summary="Who the caller is")
def me(request: HttpRequest) -> dict:
    access = _access(request)
    return {
        "actor": access.actor_label,
        "roles": [
            {"role": g.role, "organisation_path": g.path}
            for g in access.grants
        ],
    }


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    summary="Organisations the caller can see",
)
@paginate(Pages)
def organisation_list(
    request: HttpRequest, search: str = "", kind: Kind | None = None
):  # type: ignore[no-untyped-def]
    return selectors.organisation_list(
        access=_access(request),
        search=search[:100],
        kind=kind.value if kind else "",
    )


@router.get("/organisations/{code}", response=OrganisationOut)
def organisation_get(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return selectors.organisation_get(access=_access(request), code=code)


@router.get(
    "/organisations/{code}/roles",
    response=list[MembershipOut],
    summary="Current roles held in the organisation",
)
@paginate(Pages)
def membership_list(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    return selectors.membership_list(access=access, organisation=org)


@router.post(
    "/organisations/{code}/roles",
    response={201: MembershipOut},
    summary="Give a person a role (adding them if new)",
)
def membership_create(request: HttpRequest, code: str, payload: MembershipIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    user = User.objects.filter(email=payload.email.strip().lower()).first()
    if user is None:
        user = services.user_create(
            access=access,
            email=payload.email,
            full_name=payload.full_name,
            organisation=org,
            role=payload.role,
        )
        return 201, user.memberships.get(
            organisation=org, role=payload.role, revoked_at__isnull=True
        )
    return 201, services.membership_grant(
        access=access, user=user, organisation=org, role=payload.role
    )


@router.post(
    "/organisations/{code}/roles/{role_id}/revoke", response=MembershipOut
)
def membership_revoke(request: HttpRequest, code: str, role_id: int):  # type: ignore[no-untyped-def]
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    membership = selectors.membership_get(access=access, pk=role_id)
    if membership.organisation_id != org.pk:
        raise Invalid(
            {"role_id": "This role is not held in that organisation"}
        )
    return services.membership_revoke(access=access, membership=membership)


@router.get(
    "/organisations/{code}/siro",
    response=list[SiroOut],
    summary="SIRO appointments, newest first",
)
def siro_history(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    return list(selectors.siro_history(access=access, organisation=org))


@router.post(
    "/organisations/{code}/siro",
    response={201: SiroOut},
    summary="Appoint the SIRO, ending the current appointment",
)
def siro_appoint(request: HttpRequest, code: str, payload: SiroIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    org = selectors.organisation_get(access=access, code=code)
    person = User.objects.filter(
        email=payload.email.strip().lower(), is_active=True
    ).first()
    if person is None:
        raise Invalid(
            {"email": "No one with this email address has an account"}
        )
    return 201, services.siro_appoint(
        access=access, organisation=org, person=person, reason=payload.reason
    )
