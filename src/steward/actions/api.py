"""API for action plans: list, raise, read and update actions.

Handlers are thin: they call the same selectors and services as the pages.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from steward.accounts.models import User
from steward.actions import selectors, services, sources
from steward.actions.models import Action, ActionStatus
from steward.common.errors import Invalid
from steward.common.pagination import Pages
from steward.organisations import selectors as org_selectors
from steward.organisations.access import api_access

router = Router(tags=["actions"])


_access = api_access


class ActionOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    title: str
    description: str
    owner: str = Field(..., alias="owner.email")
    due: dt.date
    status: ActionStatus
    overdue: bool = Field(..., alias="is_overdue")
    source_kind: str
    source_id: int | None
    source_url: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_source_url(obj: Action) -> str | None:
        source = sources.describe(obj.source_kind, obj.source_id)
        return source[1] if source else None


class ActionIn(Schema):
    organisation: str = Field(..., max_length=40)
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    owner: str = Field(..., max_length=254, description="The owner's email")
    due: dt.date


class ActionPatch(Schema):
    status: ActionStatus | None = None
    due: dt.date | None = None
    owner: str | None = Field(None, max_length=254)
    note: str = Field("", max_length=5000)


class ListFilters(Schema):
    search: str = Field("", max_length=100)
    status: str = Field(
        "",
        pattern="^(|open|in_progress|done|cancelled)$",
        description="A status, or 'open' for open and in progress",
    )
    overdue: bool = False
    mine: bool = False
    organisation: str = Field("", max_length=40)
    source_kind: str = Field("", max_length=40)
    sort: str = Field("due", pattern="^(due|-due|organisation|updated)$")

    def filters(self) -> selectors.Filters:
        return selectors.Filters(**self.dict())


def _owner(email: str | None) -> User | None:
    if email is None:
        return None
    owner = User.objects.filter(email__iexact=email.strip()).first()
    if owner is None:
        raise Invalid({"owner": "No person with that email holds a role here"})
    return owner


@router.get(
    "/actions",
    response=list[ActionOut],
    summary="Actions the caller can see",
)
@paginate(Pages)
def action_list(request: HttpRequest, filters: Query[ListFilters]):  # type: ignore[no-untyped-def]
    return selectors.action_list(
        access=_access(request), filters=filters.filters()
    )


@router.post("/actions", response={201: ActionOut}, summary="Raise an action")
def action_create(request: HttpRequest, payload: ActionIn):  # type: ignore[no-untyped-def]
    access = _access(request)
    org = org_selectors.organisation_get(
        access=access, code=payload.organisation
    )
    action = services.action_create(
        access=access,
        organisation=org,
        title=payload.title,
        description=payload.description,
        owner=_owner(payload.owner),
        due=payload.due,
    )
    return 201, selectors.action_get(access=access, pk=action.pk)


@router.get("/actions/{action_id}", response=ActionOut)
def action_get(request: HttpRequest, action_id: int) -> Action:
    return selectors.action_get(access=_access(request), pk=action_id)


@router.patch(
    "/actions/{action_id}",
    response=ActionOut,
    summary="Change an action's status, due date or owner, with a note",
)
def action_update(
    request: HttpRequest, action_id: int, payload: ActionPatch
) -> Action:
    access = _access(request)
    action = selectors.action_get(access=access, pk=action_id)
    services.action_update(
        access=access,
        action=action,
        status=payload.status,
        due=payload.due,
        owner=_owner(payload.owner),
        note=payload.note,
    )
    return selectors.action_get(access=access, pk=action_id)
