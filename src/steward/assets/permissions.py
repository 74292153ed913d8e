"""Who may register, change and own information assets."""

from __future__ import annotations

from steward.accounts.models import User
from steward.assets.models import Asset
from steward.organisations.access import Access
from steward.organisations.models import Membership, Organisation, Role

# Who may register assets in an organisation, and who may change any of
# them there (an IAO changes only the assets they own).
REGISTRARS = (Role.IAO, Role.SIRO, Role.CENTRAL)
MANAGERS = (Role.SIRO, Role.CENTRAL)


def can_register(*, access: Access, organisation: Organisation) -> bool:
    return access.has_role(REGISTRARS, organisation)


def can_change(*, access: Access, asset: Asset) -> bool:
    if access.has_role(MANAGERS, asset.organisation):
        return True
    return (
        access.has_role([Role.IAO], asset.organisation)
        and asset.owner_id == access.user_id
    )


def eligible_owners(*, organisation: Organisation) -> list[User]:
    """People whose current IAO role reaches the organisation."""
    ancestors = organisation.ancestor_paths()
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.IAO,
            memberships__revoked_at__isnull=True,
            memberships__organisation__path__in=ancestors,
        )
        .distinct()
        .order_by("full_name")
    )


def is_owner_for(user: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        user=user,
        role=Role.IAO,
        revoked_at__isnull=True,
        organisation__path__in=organisation.ancestor_paths(),
    ).exists()
