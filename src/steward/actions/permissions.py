"""Who may raise, see and change actions."""

from __future__ import annotations

from steward.accounts.models import User
from steward.actions.models import Action
from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role

# Who raises actions in an organisation and sees all of them there.
PLANNERS = (Role.SIRO, Role.IAO, Role.GUARDIAN, Role.CENTRAL)
# Who may change any action in an organisation (an owner changes theirs).
MANAGERS = (Role.SIRO, Role.GUARDIAN, Role.CENTRAL)
# Whose people may own an action: anyone holding a role there except the
# regulator, who is never given a department's work.
OWNER_ROLES = (Role.SIRO, Role.IAO, Role.GUARDIAN, Role.STAFF, Role.CENTRAL)


def can_plan(*, access: Access, organisation: Organisation) -> bool:
    return access.has_role(PLANNERS, organisation)


def can_change(*, access: Access, action: Action) -> bool:
    if access.has_role(MANAGERS, action.organisation):
        return True
    return access.user_id is not None and action.owner_id == access.user_id


def eligible_owners(*, organisation: Organisation) -> list[User]:
    """People whose current role reaches the organisation."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role__in=OWNER_ROLES,
            memberships__revoked_at__isnull=True,
            memberships__organisation__path__in=organisation.ancestor_paths(),
        )
        .distinct()
        .order_by("full_name")
    )
