"""The catalogue and a few procedures for the demo government.

HMRC has procedures for most of the 2008 measures, one of them overdue
review; DWP has a couple; the other departments have none yet, so the
coverage page shows every kind of gap.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from steward.accounts.models import User
from steward.controls.loading import catalogue_install
from steward.controls.services import procedure_create
from steward.organisations.access import Access
from steward.organisations.models import Organisation

M = "urn:steward:dhp2008:"
G = "urn:steward:ukgdpr:"

# (department, title, version, days to next review, requirements)
PROCEDURES = [
    (
        "hmrc",
        "Information risk roles and responsibilities",
        "2.1",
        200,
        [M + "roles", M + "risk-policy", G + "art5-2"],
    ),
    (
        "hmrc",
        "Quarterly information risk review",
        "1.4",
        60,
        [M + "quarterly-risk-assessment", M + "statement-on-internal-control"],
    ),
    (
        "hmrc",
        "Removable media and encryption",
        "3.0",
        120,
        [M + "removable-media", M + "protective-measures", G + "art32"],
    ),
    (
        "hmrc",
        "Backup tapes: handling and movement",
        "1.2",
        -30,
        [M + "unencrypted-media"],
    ),
    ("hmrc", "Protecting Information training", "1.0", 300, [M + "training"]),
    (
        "dwp",
        "Information asset register procedure",
        "1.1",
        90,
        [M + "ppd-inventory", M + "protect-marking"],
    ),
    (
        "dwp",
        "Secure disposal of paper and media",
        "2.0",
        -10,
        [M + "disposal"],
    ),
]


def load(access: Access, demo_domain: str) -> None:
    catalogue_install(access=access)
    today = timezone.localdate()
    for code, title, version, days, urns in PROCEDURES:
        organisation = Organisation.objects.filter(code=code).first()
        owner = User.objects.filter(email=f"siro.{code}@{demo_domain}").first()
        if organisation is None or owner is None:
            continue
        procedure_create(
            access=access,
            organisation=organisation,
            title=title,
            version=version,
            owner=owner,
            next_review=today + dt.timedelta(days=days),
            requirement_urns=urns,
        )
