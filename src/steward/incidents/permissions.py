"""Who may report, see and handle incidents."""

from __future__ import annotations

from steward.organisations.access import Access
from steward.organisations.models import Organisation, Role

# Anyone with a role in the organisation may report (DESIGN.md: staff
# report incidents); the regulator reports nothing of a department.
REPORTERS = (Role.SIRO, Role.IAO, Role.GUARDIAN, Role.STAFF, Role.CENTRAL)
# Who completes, grades and notifies, and sees the whole register.
HANDLERS = (Role.GUARDIAN, Role.SIRO, Role.CENTRAL)


def can_report(*, access: Access, organisation: Organisation) -> bool:
    return access.has_role(REPORTERS, organisation)


def can_handle(*, access: Access, organisation: Organisation) -> bool:
    return access.has_role(HANDLERS, organisation)
