"""The demo government: the departments the seed report names, some of
their agencies, arm's-length bodies and contractors, the Information
Commissioner's Office, the Cabinet Office central team, and people in
every role.

Everything is created through the services, as a named system actor, so
the demo has a true audit trail. Later capabilities add their own step to
``STEPS``. All names of people and companies here are fictional.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.accounts.models import User
from steward.assets import services as asset_services
from steward.assets.demo_data import ASSETS
from steward.assets.models import Asset
from steward.controls import demo_data as controls_demo
from steward.incidents import demo_data as incident_demo
from steward.organisations import services as org_services
from steward.organisations.access import Access, system_access
from steward.organisations.models import (
    Kind,
    Membership,
    Organisation,
    Role,
)
from steward.scans import services as scan_services

# Every demo person signs in with this password; SIROs, the central team
# and the regulator also enter a code from an authenticator app set up
# with DEMO_TOTP_SECRET (or printed by 'steward demo codes').
DEMO_PASSWORD = "steward-demo-2008"
DEMO_TOTP_KEY = b"steward-demo-totp-01"  # 20 bytes, as RFC 4226 suggests
DEMO_TOTP_SECRET = base64.b32encode(DEMO_TOTP_KEY).decode()
DEMO_DOMAIN = "demo.steward.example"

ROOT = ("gov", "HM Government – Cabinet Office central assurance")
REGULATOR = ("ico", "Information Commissioner's Office")

# (code, name) of each department named in the seed's interim report.
DEPARTMENTS = [
    ("co", "Cabinet Office"),
    ("cps", "Crown Prosecution Service"),
    ("berr", "Department for Business, Enterprise and Regulatory Reform"),
    ("dcsf", "Department for Children, Schools and Families"),
    ("dclg", "Department for Communities and Local Government"),
    ("dcms", "Department for Culture, Media and Sport"),
    ("defra", "Department for Environment, Food and Rural Affairs"),
    ("dh", "Department of Health"),
    ("dius", "Department for Innovation, Universities and Skills"),
    ("dfid", "Department for International Development"),
    ("dft", "Department for Transport"),
    ("dwp", "Department for Work and Pensions"),
    ("fco", "Foreign and Commonwealth Office"),
    ("ho", "Home Office"),
    ("hmrc", "HM Revenue and Customs"),
    ("hmt", "HM Treasury"),
    ("mod", "Ministry of Defence"),
    ("moj", "Ministry of Justice"),
    ("nio", "Northern Ireland Office"),
]

# (parent code, code, name, kind) of bodies under departments.
BODIES = [
    ("hmrc", "voa", "Valuation Office Agency", Kind.AGENCY),
    ("hmrc", "hmrc-courier", "Meridian Secure Couriers Ltd", Kind.CONTRACTOR),
    ("dwp", "jcp", "Jobcentre Plus", Kind.AGENCY),
    ("dwp", "pension-service", "The Pension Service", Kind.AGENCY),
    ("dwp", "csa", "Child Support Agency", Kind.ALB),
    ("dwp", "dwp-it", "Northgate Benefit Systems Ltd", Kind.CONTRACTOR),
    ("dft", "dvla", "Driver and Vehicle Licensing Agency", Kind.AGENCY),
    ("dft", "highways", "Highways Agency", Kind.AGENCY),
    (
        "dh",
        "mhra",
        "Medicines and Healthcare products Regulatory Agency",
        Kind.AGENCY,
    ),
    ("dh", "cfh", "NHS Connecting for Health", Kind.AGENCY),
    ("ho", "ips", "Identity and Passport Service", Kind.AGENCY),
    ("ho", "ukba", "UK Border Agency", Kind.AGENCY),
    ("ho", "crb", "Criminal Records Bureau", Kind.AGENCY),
    ("fco", "ukvisas", "UKvisas", Kind.AGENCY),
    (
        "fco",
        "visa-contractor",
        "Overseas Visa Processing Ltd",
        Kind.CONTRACTOR,
    ),
    ("moj", "hmcs", "Her Majesty's Courts Service", Kind.AGENCY),
    ("moj", "opg", "Office of the Public Guardian", Kind.AGENCY),
    ("mod", "spva", "Service Personnel and Veterans Agency", Kind.AGENCY),
    (
        "dcsf",
        "contactpoint",
        "ContactPoint Delivery Partner Ltd",
        Kind.CONTRACTOR,
    ),
    ("berr", "companies-house", "Companies House", Kind.AGENCY),
    ("berr", "insolvency", "The Insolvency Service", Kind.AGENCY),
    ("dcms", "oda", "Olympic Delivery Authority", Kind.ALB),
    ("defra", "rpa", "Rural Payments Agency", Kind.AGENCY),
    ("dius", "slc", "Student Loans Company", Kind.ALB),
    ("dclg", "os", "Ordnance Survey", Kind.AGENCY),
    ("hmt", "dmo", "UK Debt Management Office", Kind.AGENCY),
    ("nio", "nips", "Northern Ireland Prison Service", Kind.AGENCY),
    ("mod", "mod-archive", "Fortress Records Storage plc", Kind.CONTRACTOR),
]

# Departments with a full set of roles in the demo; the rest have a SIRO.
FULL_DEPARTMENTS = {"hmrc", "dwp", "dft", "dh", "ho", "fco", "mod", "moj"}

_FIRST = [
    "Alex",
    "Bernadette",
    "Chidi",
    "Deborah",
    "Eamon",
    "Fatima",
    "Gareth",
    "Harpreet",
    "Imogen",
    "Jonah",
    "Kamala",
    "Lewis",
    "Morag",
    "Nikhil",
    "Olwen",
    "Priya",
    "Quentin",
    "Rhiannon",
    "Sanjay",
    "Tamsin",
    "Umar",
    "Verity",
    "Wilfred",
    "Yasmin",
]
_LAST = [
    "Ashworth",
    "Bannerjee",
    "Campbell",
    "Doherty",
    "Evans",
    "Fairweather",
    "Gallagher",
    "Hussain",
    "Iqbal",
    "Jenkins",
    "Kowalski",
    "Lloyd",
    "McAllister",
    "Nwosu",
    "O'Brien",
    "Pritchard",
    "Quinn",
    "Rahman",
    "Sutherland",
    "Thorne",
    "Underwood",
    "Vaughan",
    "Whitfield",
    "Yeo",
]


@dataclass(frozen=True)
class Login:
    email: str
    role: str
    organisation: str
    two_factor: bool


@dataclass
class DemoContext:
    access: Access
    password_hash: str
    logins: list[Login]
    _name_index: int = 0

    def next_name(self) -> str:
        i = self._name_index
        self._name_index += 1
        return f"{_FIRST[i % len(_FIRST)]} {_LAST[(i * 7) % len(_LAST)]}"


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _person(
    ctx: DemoContext, org: Organisation, role: str, local: str
) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    if role == Role.SIRO:
        # A SIRO is appointed: give them an everyday role, then appoint.
        user = org_services.user_create(
            access=ctx.access,
            email=email,
            full_name=ctx.next_name(),
            organisation=org,
            role=Role.STAFF,
            password_hash=ctx.password_hash,
        )
        org_services.siro_appoint(
            access=ctx.access,
            organisation=org,
            person=user,
            reason="Demo appointment",
        )
    else:
        user = org_services.user_create(
            access=ctx.access,
            email=email,
            full_name=ctx.next_name(),
            organisation=org,
            role=role,
            password_hash=ctx.password_hash,
        )
    two_factor = role in (Role.SIRO, Role.CENTRAL, Role.AUDITOR)
    if two_factor:
        TOTPDevice.objects.create(
            user=user,
            name="Demo authenticator",
            key=DEMO_TOTP_KEY.hex(),
            confirmed=True,
        )
    ctx.logins.append(Login(email, role, org.name, two_factor))
    return user


def load_organisations(ctx: DemoContext) -> None:
    root = org_services.organisation_create(
        access=ctx.access,
        code=ROOT[0],
        name=ROOT[1],
        kind=Kind.CENTRAL,
        parent=None,
    )
    org_services.organisation_create(
        access=ctx.access,
        code=REGULATOR[0],
        name=REGULATOR[1],
        kind=Kind.REGULATOR,
        parent=root,
    )
    for code, name in DEPARTMENTS:
        org_services.organisation_create(
            access=ctx.access,
            code=code,
            name=name,
            kind=Kind.DEPARTMENT,
            parent=root,
        )
    for parent, code, name, kind in BODIES:
        org_services.organisation_create(
            access=ctx.access,
            code=code,
            name=name,
            kind=kind,
            parent=_org(parent),
        )


def load_people(ctx: DemoContext) -> None:
    central = _person(ctx, _org(ROOT[0]), Role.CENTRAL, "central")
    central.is_staff = True
    central.save(update_fields=["is_staff"])
    _person(ctx, _org(REGULATOR[0]), Role.AUDITOR, "auditor.ico")
    for code, _ in DEPARTMENTS:
        org = _org(code)
        _person(ctx, org, Role.SIRO, f"siro.{code}")
        if code in FULL_DEPARTMENTS:
            _person(ctx, org, Role.IAO, f"iao.{code}")
            _person(ctx, org, Role.GUARDIAN, f"guardian.{code}")
            _person(ctx, org, Role.STAFF, f"staff.{code}")
    for agency in ("dvla", "jcp", "ips"):
        _person(ctx, _org(agency), Role.IAO, f"iao.{agency}")


def load_assets(ctx: DemoContext) -> None:
    """Information assets for every department (``assets/demo_data.py``);
    departments without an IAO so far get one to own them."""
    for code, _ in DEPARTMENTS:
        if not User.objects.filter(email=f"iao.{code}@{DEMO_DOMAIN}").exists():
            _person(ctx, _org(code), Role.IAO, f"iao.{code}")
    today = timezone.localdate()
    for entry in ASSETS:
        owner = User.objects.get(email=f"{entry['owner']}@{DEMO_DOMAIN}")
        asset_services.asset_create(
            access=ctx.access,
            organisation=_org(entry["org"]),
            data=entry["facts"]
            | {
                "owner": owner,
                "review_due": today + dt.timedelta(days=entry["review_in"]),
            },
            locations=entry["locations"],
        )


def _scan_report(entity: str, count: int, path: str) -> dict[str, object]:
    """A report as a department's scanning agent would upload it."""
    return {
        "sources": 1,
        "bytes_read": count * 40,
        "totals": [
            {"entity": entity, "count": count, "distinct": count, "places": 1}
        ],
        "findings": [
            {
                "entity": entity,
                "count": count,
                "distinct": count,
                "location": {"path": path},
            }
        ],
    }


def load_procedures(ctx: DemoContext) -> None:
    """The standards catalogue, and procedures for HMRC and DWP, some
    overdue review (``controls/demo_data.py``)."""
    controls_demo.load(ctx.access, DEMO_DOMAIN)


# Fictional claimants for the demo's file share: valid-looking NINOs
# (HMRC's prefix rules) that belong to nobody, and invented names.
_GIVEN = ("Amelia", "Oliver", "Isla", "George", "Ava", "Harry", "Mia",
          "Jack", "Grace", "Noah")
_FAMILY = ("Wright", "Patel", "Evans", "Khan", "Murphy", "Hughes", "Lewis",
           "Roberts", "Walker", "Green")


def _demo_share() -> Path:
    """A folder standing for HMRC's Child Benefit Office share, so that
    "Scan now" on the demo's scan location reads real files: a claimant
    extract (fewer than a thousand rows: not bulk) and a note."""
    folder = settings.VAR_DIR / "demo-shares" / "child-benefit"
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["name,national_insurance_number,postcode"] + [
        f"{_GIVEN[n % 10]} {_FAMILY[n // 10 % 10]},"
        f"CB {n // 10000 % 100:02d} {n // 100 % 100:02d} {n % 100:02d} A,"
        f"NE{n % 9 + 1} {n % 10}AB"
        for n in range(101_000, 101_240)]
    (folder / "claimants-sample.csv").write_text("\n".join(rows) + "\n")
    (folder / "README.txt").write_text(
        "Weekly extract for the Child Benefit Office. Do not copy to "
        "removable media; send by the secure transfer service.\n")
    return folder


def load_scans(ctx: DemoContext) -> None:
    """Two uploaded scans: HMRC's child benefit extract sitting on a file
    share (registered: the asset accounts for it) and a DWP export nobody
    registered, which the scans page flags."""
    child_benefit = Asset.objects.get(reference="HMRC-CB-001")
    scan_services.scan_upload(
        access=ctx.access,
        organisation=_org("hmrc"),
        asset=child_benefit,
        report=_scan_report(
            "UK_NINO", 25_000_000, "/srv/cb/extract-2007-10.csv"
        ),
    )
    scan_services.location_create(
        access=ctx.access,
        organisation=_org("hmrc"),
        name="Child Benefit Office share",
        target=str(_demo_share()),
    )
    scan_services.scan_upload(
        access=ctx.access,
        organisation=_org("dwp"),
        report=_scan_report(
            "UK_NINO", 48_210, "/shares/newcastle/ops/claimants-export.xlsx"
        ),
    )


def load_incidents(ctx: DemoContext) -> None:
    """Incidents across departments, from HMRC's lost discs of 2007 to a
    laptop whose 72 hours are nearly up (``incidents/demo_data.py``)."""
    incident_demo.load(ctx.access)


def load_assessments(ctx: DemoContext) -> None:
    """Last year's and this year's assessments of the fully staffed
    departments against the 2008 measures, with findings and actions
    (``controls/demo_data.py``)."""
    controls_demo.load_assessments(DEMO_DOMAIN)


def load_statements(ctx: DemoContext) -> None:
    """A procedure's revision, a contractor's own assessment, and
    Statements of Internal Control, one signed
    (``controls/statements/demo_data.py``)."""
    from steward.controls.statements import demo_data as statements_demo

    statements_demo.load(DEMO_DOMAIN)


# Each step loads one capability's demo data, in dependency order.
STEPS: list[Callable[[DemoContext], None]] = [
    load_organisations,
    load_people,
    load_assets,
    load_procedures,
    load_scans,
    load_incidents,
    load_assessments,
    load_statements,
]


def is_loaded() -> bool:
    return Organisation.objects.exists()


@transaction.atomic
def load() -> list[Login]:
    """Load the demo government into an empty database."""
    if is_loaded():
        raise RuntimeError(
            "The database already holds organisations; the "
            "demo loads only into an empty one"
        )
    ctx = DemoContext(
        access=system_access("demo-loader"),
        password_hash=make_password(DEMO_PASSWORD),
        logins=[],
    )
    for step in STEPS:
        step(ctx)
    return ctx.logins


def logins() -> list[Login]:
    """The demo logins of a database the demo was loaded into."""
    rows = []
    for m in (
        Membership.objects.filter(
            user__email__endswith=f"@{DEMO_DOMAIN}", revoked_at__isnull=True
        )
        .exclude(role=Role.STAFF, user__memberships__role=Role.SIRO)
        .select_related("user", "organisation")
        .order_by("organisation__path", "role")
        .distinct()
    ):
        rows.append(
            Login(
                m.user.email,
                m.role,
                m.organisation.name,
                m.role in (Role.SIRO, Role.CENTRAL, Role.AUDITOR),
            )
        )
    return rows
