"""A small government for tests: two departments, each with an agency,
people in every role, and API keys; the central team and the regulator.

Department A's names carry a marker that no response to an outsider may
contain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.accounts.models import User
from steward.organisations import services
from steward.organisations.access import access_for_user, system_access
from steward.organisations.models import (
    TWO_FACTOR_ROLES,
    ApiKey,
    Kind,
    Organisation,
    Role,
)

PASSWORD = "correct horse battery staple"
MARKER = "Zanzibarian"  # appears only in department A's names
TOTP_KEY = b"steward-tests-totp-1"

DEPARTMENT_ROLES = (Role.SIRO, Role.IAO, Role.GUARDIAN, Role.STAFF)


@dataclass
class Department:
    org: Organisation
    agency: Organisation
    people: dict[str, User] = field(default_factory=dict)
    api_key: ApiKey | None = None
    api_secret: str = ""


@dataclass
class World:
    root: Organisation
    regulator: Organisation
    a: Department
    b: Department
    central: User
    auditor: User

    def everyone(self) -> dict[str, User]:
        people = {f"a.{r}": u for r, u in self.a.people.items()}
        people |= {f"b.{r}": u for r, u in self.b.people.items()}
        people["central"] = self.central
        people["auditor"] = self.auditor
        return people


def _person(org: Organisation, role: str, email: str, name: str) -> User:
    access = system_access("tests")
    grant = Role.STAFF if role == Role.SIRO else role
    user = services.user_create(
        access=access,
        email=email,
        full_name=name,
        organisation=org,
        role=grant,
        password=PASSWORD,
    )
    if role == Role.SIRO:
        services.siro_appoint(access=access, organisation=org, person=user)
    if role in TWO_FACTOR_ROLES:
        TOTPDevice.objects.create(
            user=user, name="test", confirmed=True, key=TOTP_KEY.hex()
        )
    return user


def _department(
    root: Organisation, code: str, name: str, person_name: str
) -> Department:
    access = system_access("tests")
    org = services.organisation_create(
        access=access, code=code, name=name, kind=Kind.DEPARTMENT, parent=root
    )
    agency = services.organisation_create(
        access=access,
        code=f"{code}-agency",
        name=f"{name} Agency",
        kind=Kind.AGENCY,
        parent=org,
    )
    dept = Department(org=org, agency=agency)
    for role in DEPARTMENT_ROLES:
        dept.people[role] = _person(
            org,
            role,
            f"{role}@{code}.example",
            f"{person_name} {role.title()}",
        )
    dept.api_key, dept.api_secret = services.apikey_create(
        access=access_for_user(dept.people[Role.GUARDIAN]),
        organisation=org,
        name=f"{name} scanner",
        role=Role.GUARDIAN,
    )
    return dept


def build() -> World:
    access = system_access("tests")
    root = services.organisation_create(
        access=access,
        code="gov",
        name="HM Government",
        kind=Kind.CENTRAL,
        parent=None,
    )
    regulator = services.organisation_create(
        access=access,
        code="ico",
        name="Information Commissioner",
        kind=Kind.REGULATOR,
        parent=root,
    )
    a = _department(root, "alpha", f"{MARKER} Revenue", f"{MARKER}")
    b = _department(root, "beta", "Bravo Pensions", "Bravo")
    central = _person(
        root, Role.CENTRAL, "central@gov.example", "Central Person"
    )
    central.is_staff = True
    central.save()
    auditor = _person(
        regulator, Role.AUDITOR, "auditor@ico.example", "Regulator Person"
    )
    return World(
        root=root,
        regulator=regulator,
        a=a,
        b=b,
        central=central,
        auditor=auditor,
    )


def signed_in_client(user: User) -> Client:
    """A client signed in as ``user``, with two-factor done if needed."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
