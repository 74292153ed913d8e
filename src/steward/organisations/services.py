"""Every write to organisations, people, roles and API keys.

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only, required) and records one audit event with the
change.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils import timezone

from steward.accounts.models import User
from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.organisations.access import Access
from steward.organisations.models import (
    ApiKey,
    Kind,
    Membership,
    Organisation,
    Role,
    SiroAppointment,
)

# Which kinds of organisation may sit under which.
_CHILD_KINDS = {
    Kind.CENTRAL: {Kind.DEPARTMENT, Kind.REGULATOR, Kind.CONTRACTOR},
    Kind.DEPARTMENT: {Kind.AGENCY, Kind.ALB, Kind.CONTRACTOR},
    Kind.AGENCY: {Kind.ALB, Kind.CONTRACTOR},
    Kind.ALB: {Kind.CONTRACTOR},
    Kind.CONTRACTOR: set(),
    Kind.REGULATOR: set(),
}
# Organisations that have a SIRO of their own.
SIRO_KINDS = {Kind.DEPARTMENT, Kind.AGENCY, Kind.ALB}
# Roles an API key may act with.
API_KEY_ROLES = (Role.STAFF, Role.GUARDIAN)


def grantable_roles(
    *, access: Access, organisation: Organisation
) -> list[str]:
    """Roles this principal may grant in this organisation.

    The central team grants any role (the regulator's only in the
    regulator, its own only in the central body); a SIRO grants the
    everyday roles in their subtree. SIROs are appointed, not granted.
    """
    if access.has_role([Role.CENTRAL], organisation):
        if organisation.kind == Kind.REGULATOR:
            return [Role.AUDITOR]
        if organisation.kind == Kind.CENTRAL:
            return [Role.CENTRAL]
        return [Role.IAO, Role.GUARDIAN, Role.STAFF]
    if access.has_role([Role.SIRO], organisation):
        return [Role.IAO, Role.GUARDIAN, Role.STAFF]
    return []


def _user(access: Access) -> User | None:
    if access.user_id is None:
        return None
    return User.objects.get(pk=access.user_id)


def _compute_path(parent: Organisation | None, code: str) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def organisation_create(
    *,
    access: Access,
    code: str,
    name: str,
    kind: str,
    parent: Organisation | None,
) -> Organisation:
    errors: dict[str, str] = {}
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = (
            "Enter a code of letters, numbers, hyphens or underscores"
        )
    if not name.strip():
        errors["name"] = "Enter the organisation's name"
    if kind not in Kind.values:
        errors["kind"] = "Choose a kind of organisation"
    elif parent is None and kind != Kind.CENTRAL:
        errors["parent"] = "Choose the organisation this one sits under"
    elif parent is not None and kind not in _CHILD_KINDS[Kind(parent.kind)]:
        errors["kind"] = (
            f"A {Kind(kind).label.lower()} cannot sit under a "
            f"{Kind(parent.kind).label.lower()}"
        )
    if Organisation.objects.filter(code=code).exists():
        errors["code"] = "An organisation with this code already exists"
    if errors:
        raise Invalid(errors)
    if parent is None:
        allowed = access.actor_id.startswith("system:")
    else:
        allowed = access.has_role([Role.CENTRAL], parent) or (
            kind != Kind.DEPARTMENT and access.has_role([Role.SIRO], parent)
        )
    if not allowed:
        raise Forbidden("Your role does not allow adding organisations here")
    org = Organisation.objects.create(
        code=code,
        name=name.strip(),
        kind=kind,
        parent=parent,
        path=_compute_path(parent, code),
    )
    audit_record(
        actor_id=access.actor_id,
        action="organisation.create",
        obj=org,
        organisation_id=org.pk,
        details={"kind": kind},
    )
    return org


@transaction.atomic
def user_create(
    *,
    access: Access,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Add a person with a first role; without a password they set one
    through 'Forgotten your password?'."""
    errors: dict[str, str] = {}
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = (
            "Enter an email address in the correct format, "
            "like name@example.gov.uk"
        )
    else:
        if User.objects.filter(email=email).exists():
            errors["email"] = "A person with this email address already exists"
    if not full_name.strip():
        errors["full_name"] = "Enter the person's full name"
    if password is not None:
        try:
            validate_password(password)
        except ValidationError as exc:
            errors["password"] = " ".join(exc.messages)
    if role not in grantable_roles(access=access, organisation=organisation):
        if errors:
            raise Invalid(errors)
        raise Forbidden("Your role does not allow granting that role here")
    if errors:
        raise Invalid(errors)
    user = User(email=email, full_name=full_name.strip())
    if password_hash is not None:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    _grant(access=access, user=user, organisation=organisation, role=role)
    audit_record(
        actor_id=access.actor_id,
        action="user.create",
        obj=user,
        organisation_id=organisation.pk,
        details={"role": role},
    )
    return user


def _grant(
    *, access: Access, user: User, organisation: Organisation, role: str
) -> Membership:
    return Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        granted_by=_user(access),
    )


@transaction.atomic
def membership_grant(
    *, access: Access, user: User, organisation: Organisation, role: str
) -> Membership:
    if role not in Role.values:
        raise Invalid({"role": "Choose a role"})
    if role not in grantable_roles(access=access, organisation=organisation):
        raise Forbidden("Your role does not allow granting that role here")
    if Membership.objects.filter(
        user=user,
        organisation=organisation,
        role=role,
        revoked_at__isnull=True,
    ).exists():
        raise Invalid({"role": "This person already holds that role here"})
    membership = _grant(
        access=access, user=user, organisation=organisation, role=role
    )
    audit_record(
        actor_id=access.actor_id,
        action="membership.grant",
        obj=membership,
        organisation_id=organisation.pk,
        details={"role": role, "user_id": user.pk},
    )
    return membership


@transaction.atomic
def membership_revoke(*, access: Access, membership: Membership) -> Membership:
    if membership.role == Role.SIRO:
        raise Invalid(
            {
                "role": "A SIRO is replaced by appointing another, "
                "not by revoking the role"
            }
        )
    if membership.role not in grantable_roles(
        access=access, organisation=membership.organisation
    ):
        raise Forbidden("Your role does not allow revoking that role")
    if membership.revoked_at is not None:
        raise Invalid({"role": "This role has already been revoked"})
    membership.revoked_at = timezone.now()
    membership.revoked_by = _user(access)
    membership.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor_id=access.actor_id,
        action="membership.revoke",
        obj=membership,
        organisation_id=membership.organisation_id,
        details={"role": membership.role, "user_id": membership.user_id},
    )
    return membership


@transaction.atomic
def siro_appoint(
    *,
    access: Access,
    organisation: Organisation,
    person: User,
    reason: str = "",
) -> SiroAppointment:
    """Make ``person`` the SIRO, ending the current appointment.

    The central team appoints; a serving SIRO may hand over to a successor.
    """
    if organisation.kind not in SIRO_KINDS:
        raise Invalid(
            {
                "organisation": "Only departments, agencies and "
                "arm's-length bodies have a SIRO"
            }
        )
    # Lock the organisation row so that two appointments cannot race.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    current = SiroAppointment.objects.filter(
        organisation=organisation, ended_at__isnull=True
    ).first()
    is_serving = current is not None and current.person_id == access.user_id
    if not (access.has_role([Role.CENTRAL], organisation) or is_serving):
        raise Forbidden(
            "Only the central team or the serving SIRO can appoint a SIRO"
        )
    if current is not None and current.person_id == person.pk:
        raise Invalid({"person": "This person is already the SIRO"})
    if len(reason) > 500:
        raise Invalid({"reason": "Reason must be 500 characters or fewer"})
    now = timezone.now()
    actor = _user(access)
    if current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
        Membership.objects.filter(
            user_id=current.person_id,
            organisation=organisation,
            role=Role.SIRO,
            revoked_at__isnull=True,
        ).update(revoked_at=now, revoked_by=actor)
    appointment = SiroAppointment.objects.create(
        organisation=organisation,
        person=person,
        started_at=now,
        appointed_by=actor,
        reason=reason.strip(),
    )
    Membership.objects.create(
        user=person,
        organisation=organisation,
        role=Role.SIRO,
        granted_by=actor,
    )
    audit_record(
        actor_id=access.actor_id,
        action="siro.appoint",
        obj=appointment,
        organisation_id=organisation.pk,
        details={
            "user_id": person.pk,
            "previous_user_id": current.person_id if current else None,
        },
    )
    return appointment


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def apikey_create(
    *,
    access: Access,
    organisation: Organisation,
    name: str,
    role: str = Role.STAFF,
) -> tuple[ApiKey, str]:
    """Create a key; the secret is returned once and never stored."""
    if (
        not access.has_role(
            [Role.SIRO, Role.GUARDIAN, Role.CENTRAL], organisation
        )
        or access.user_id is None
    ):
        raise Forbidden("Only a SIRO or Data Guardian can create API keys")
    errors = {}
    if not name.strip():
        errors["name"] = "Enter a name that says what the key is for"
    elif len(name) > 100:
        errors["name"] = "Name must be 100 characters or fewer"
    if role not in API_KEY_ROLES:
        errors["role"] = "Choose staff or Data Guardian"
    if errors:
        raise Invalid(errors)
    prefix = secrets.token_hex(4)
    secret = f"stw_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name.strip(),
        role=role,
        prefix=prefix,
        digest=_digest(secret),
        created_by=_user(access),
    )
    audit_record(
        actor_id=access.actor_id,
        action="apikey.create",
        obj=key,
        organisation_id=organisation.pk,
        details={"role": role},
    )
    return key, secret


@transaction.atomic
def apikey_revoke(*, access: Access, key: ApiKey) -> ApiKey:
    if not access.has_role(
        [Role.SIRO, Role.GUARDIAN, Role.CENTRAL], key.organisation
    ):
        raise Forbidden("Only a SIRO or Data Guardian can revoke API keys")
    if key.revoked_at is not None:
        raise Invalid({"key": "This key has already been revoked"})
    key.revoked_at = timezone.now()
    key.revoked_by = _user(access)
    key.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor_id=access.actor_id,
        action="apikey.revoke",
        obj=key,
        organisation_id=key.organisation_id,
    )
    return key


def apikey_authenticate(secret: str) -> ApiKey | None:
    """The current key with this secret, or None. Not audited: it changes
    only the last-used time."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != "stw":
        return None
    key = (
        ApiKey.objects.select_related("organisation")
        .filter(
            prefix=parts[1],
            revoked_at__isnull=True,
            organisation__is_active=True,
        )
        .first()
    )
    if key is None or not secrets.compare_digest(key.digest, _digest(secret)):
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
