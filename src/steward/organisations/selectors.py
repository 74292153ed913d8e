"""Every read of organisations, people and roles, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from steward.accounts.models import User
from steward.common.errors import Forbidden, NotFound
from steward.organisations.access import Access
from steward.organisations.models import (
    ApiKey,
    Kind,
    Membership,
    Organisation,
    Role,
    SiroAppointment,
)

KEY_MANAGERS = (Role.SIRO, Role.GUARDIAN, Role.CENTRAL)


def organisation_list(
    *, access: Access, search: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(access.visible_q()).select_related(
        "parent"
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def organisation_get(*, access: Access, code: str) -> Organisation:
    try:
        return organisation_list(access=access).get(code=code)
    except Organisation.DoesNotExist:
        raise NotFound("organisation") from None


def organisation_children(
    *, access: Access, organisation: Organisation
) -> QuerySet[Organisation]:
    return organisation_list(access=access).filter(parent=organisation)


def membership_list(
    *, access: Access, organisation: Organisation, current: bool = True
) -> QuerySet[Membership]:
    """Roles held in this organisation (not its subtree)."""
    qs = Membership.objects.filter(
        access.visible_q("organisation__"), organisation=organisation
    ).select_related("user", "organisation")
    if current:
        qs = qs.filter(revoked_at__isnull=True)
    return qs


def membership_get(*, access: Access, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("user", "organisation").get(
            access.visible_q("organisation__"), pk=pk
        )
    except Membership.DoesNotExist:
        raise NotFound("role") from None


def current_siro(*, organisation: Organisation) -> SiroAppointment | None:
    return (
        SiroAppointment.objects.select_related("person")
        .filter(organisation=organisation, ended_at__isnull=True)
        .first()
    )


def siro_history(
    *, access: Access, organisation: Organisation
) -> QuerySet[SiroAppointment]:
    return SiroAppointment.objects.filter(
        access.visible_q("organisation__"), organisation=organisation
    ).select_related("person", "appointed_by")


def departments_without_siro(*, access: Access) -> QuerySet[Organisation]:
    return (
        organisation_list(access=access)
        .filter(kind=Kind.DEPARTMENT, is_active=True)
        .exclude(siro_appointments__ended_at__isnull=True)
    )


def _require_key_manager(access: Access, organisation: Organisation) -> None:
    if not access.has_role(KEY_MANAGERS, organisation):
        raise Forbidden("Only a SIRO or Data Guardian can manage API keys")


def apikey_list(
    *, access: Access, organisation: Organisation
) -> QuerySet[ApiKey]:
    _require_key_manager(access, organisation)
    return ApiKey.objects.filter(organisation=organisation).select_related(
        "created_by", "organisation"
    )


def apikey_get(*, access: Access, pk: int) -> ApiKey:
    try:
        key = ApiKey.objects.select_related("organisation").get(
            access.visible_q("organisation__"), pk=pk
        )
    except ApiKey.DoesNotExist:
        raise NotFound("API key") from None
    _require_key_manager(access, key.organisation)
    return key


def people_list(*, access: Access, search: str = "") -> QuerySet[User]:
    """People holding a current role somewhere the viewer can see."""
    visible = Membership.objects.filter(
        access.visible_q("organisation__"), revoked_at__isnull=True
    ).values("user_id")
    qs = User.objects.filter(pk__in=visible)
    if search:
        qs = qs.filter(
            Q(full_name__icontains=search) | Q(email__icontains=search)
        )
    return qs
