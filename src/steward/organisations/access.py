"""What a signed-in person or an API key may reach: the scoping layer.

Every selector and service takes an ``Access`` (built once per request by
``access_for``) and asks it two questions: which organisations can this
viewer see (``visible_q``), and does it hold one of these roles over that
organisation (``has_role``). A role held in an organisation reaches its
whole subtree, never up or sideways. The regulator's ``auditor`` role is
the exception: it reaches only its own organisation, and later
capabilities grant it single records (notifications, spot checks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from steward.common.errors import Forbidden
from steward.organisations.models import ApiKey, Membership, Organisation, Role

# Roles whose reach stops at their own organisation.
_LOCAL_ROLES = frozenset({Role.AUDITOR})


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int
    path: str

    def reaches(self, organisation: Organisation) -> bool:
        if self.role in _LOCAL_ROLES:
            return organisation.pk == self.organisation_id
        return organisation.path.startswith(self.path)


@dataclass(frozen=True)
class Access:
    """The grants one principal holds, and who that principal is."""

    actor_id: str
    actor_label: str
    grants: tuple[Grant, ...] = field(default=())
    user_id: int | None = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def has_role(
        self, roles: Iterable[str], organisation: Organisation
    ) -> bool:
        wanted = set(roles)
        return any(
            g.role in wanted and g.reaches(organisation) for g in self.grants
        )

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))

    def visible_q(
        self, prefix: str = "", roles: Iterable[str] | None = None
    ) -> Q:
        """A filter on Organisation (or, with ``prefix`` such as
        ``"organisation__"``, on a model that points to one) that keeps
        what this principal may see; with ``roles``, only through those.
        """
        wanted = set(roles) if roles is not None else None
        q = Q(pk__in=[])
        for g in self.grants:
            if wanted is not None and g.role not in wanted:
                continue
            if g.role in _LOCAL_ROLES:
                q |= Q(**{f"{prefix}pk": g.organisation_id})
            else:
                q |= Q(**{f"{prefix}path__startswith": g.path})
        return q


def access_for_user(user: object) -> Access:
    """The access of a signed-in person (none for an anonymous one)."""
    if not getattr(user, "is_authenticated", False) or not getattr(
        user, "is_active", False
    ):
        return Access(actor_id="anonymous", actor_label="anonymous")
    memberships = Membership.objects.filter(
        user=user, revoked_at__isnull=True, organisation__is_active=True
    ).values_list("role", "organisation_id", "organisation__path")
    return Access(
        actor_id=f"user:{user.pk}",  # type: ignore[attr-defined]
        actor_label=str(user),
        grants=tuple(Grant(r, o, p) for r, o, p in memberships),
        user_id=user.pk,  # type: ignore[attr-defined]
    )


def access_for_api_key(key: ApiKey) -> Access:
    org = key.organisation
    return Access(
        actor_id=f"apikey:{key.pk}",
        actor_label=f"API key {key.prefix}",
        grants=(Grant(key.role, org.pk, org.path),),
    )


def system_access(name: str) -> Access:
    """A named system actor for jobs and loaders: reaches everything."""
    return Access(
        actor_id=f"system:{name}",
        actor_label=f"system ({name})",
        grants=(Grant(Role.CENTRAL, 0, "/"),),
    )


def page_access(request: object) -> Access:
    """The signed-in person's Access, set on every page request by
    ``AccessMiddleware``."""
    return request.access  # type: ignore[attr-defined,no-any-return]


def api_access(request: object) -> Access:
    """The caller's Access on an API request: what the API's
    authentication (a person's session or an API key) returned."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def department_page_access(request: object) -> Access:
    """``page_access`` for pages of departments' own records, which the
    regulator does not reach (Forbidden)."""
    access = page_access(request)
    if not access.roles - {Role.AUDITOR}:
        raise Forbidden(
            "The regulator sees departments' records only "
            "through notifications and spot checks"
        )
    return access
