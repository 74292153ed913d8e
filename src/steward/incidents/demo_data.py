"""Demo incidents across departments, loaded by ``steward.demo``.

The first replays HM Revenue and Customs' loss of two discs in 2007
(policy.md §2.1, Poynter Review): sent unrecorded by internal post to the
National Audit Office on 18 October 2007, missed on 8 November, never
found; 25 million child-benefit records with bank details. The others
are fictional: a laptop stolen from a car, an email sent to the wrong
claimant and an encrypted memory stick lost in an office.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.assets.models import Asset
from steward.incidents import clock, services
from steward.incidents.models import Incident
from steward.organisations.access import Access
from steward.organisations.models import Organisation


def _london(*args: int) -> dt.datetime:
    return clock.from_london(dt.datetime(*args))  # type: ignore[arg-type]


def _discs(access: Access) -> None:
    hmrc = Organisation.objects.get(code="hmrc")
    incident = services.incident_report(
        access=access,
        organisation=hmrc,
        summary="Two discs of child benefit data lost in the post",
        description="Two password-protected but unencrypted discs were "
        "sent by unrecorded internal post to the National Audit Office "
        "and did not arrive.",
        occurred_at=_london(2007, 10, 18, 12, 0),
        aware_at=_london(2007, 11, 8, 10, 0),
        data_involved="Names, addresses, dates of birth, National "
        "Insurance numbers and bank details of child benefit claimants "
        "and their children",
        people_estimate=25_000_000,
        assets=Asset.objects.filter(reference="HMRC-CB-001"),
    )
    _complete_and_grade(
        access,
        incident,
        {
            "kind": "lost_device",
            "on_premises": False,
            "vulnerable": True,
            "financial": True,
            "individuals": 25_000_000,
            "records": 25_000_000,
            "encrypted": False,
            "containment": "Searches of HMRC and NAO premises and the "
            "courier's depots; banks told to watch the accounts.",
            "consequences": "Identity fraud and financial loss; risk to "
            "children's safety where addresses are protected.",
        },
        likelihood=4,
        severity=4,
    )
    services.notification_make(
        access=access,
        incident=incident,
        recipient="ico",
        phase="initial",
        delay_reason="2007: no statutory deadline; the Chancellor told "
        "Parliament on 20 November once searches had failed.",
    )
    services.notification_make(
        access=access,
        incident=incident,
        recipient="cabinet_office",
        phase="initial",
    )


def _complete_and_grade(
    access: Access,
    incident: Incident,
    facts: dict[str, Any],
    likelihood: int,
    severity: int,
) -> None:
    services.incident_complete(access=access, incident=incident, data=facts)
    services.incident_grade(
        access=access,
        incident=incident,
        likelihood=likelihood,
        severity=severity,
    )


def load(access: Access) -> None:
    now = timezone.now()
    _discs(access)
    laptop = services.incident_report(
        access=access,
        organisation=Organisation.objects.get(code="mod"),
        summary="Laptop stolen from a car",
        description="A recruiting officer's laptop was taken from a car "
        "parked overnight; the disk was not encrypted.",
        occurred_at=now - dt.timedelta(hours=60),
        aware_at=now - dt.timedelta(hours=54),
        data_involved="Names, addresses and some medical details of "
        "applicants",
        people_estimate=600,
    )
    _complete_and_grade(
        access,
        laptop,
        {
            "kind": "lost_device",
            "on_premises": False,
            "special_category": True,
            "individuals": 600,
            "records": 600,
            "containment": "Police told; the account's passwords reset.",
            "consequences": "Health details read by a stranger; identity "
            "fraud.",
        },
        likelihood=3,
        severity=3,
    )
    services.incident_report(
        access=access,
        organisation=Organisation.objects.get(code="dwp"),
        summary="Email with a claim sent to the wrong claimant",
        description="A letter about one claim was attached to an email "
        "to another claimant with a similar name.",
        occurred_at=now - dt.timedelta(hours=6),
        aware_at=now - dt.timedelta(hours=5),
        data_involved="One claimant's name, address and award",
        people_estimate=1,
    )
    stick = services.incident_report(
        access=access,
        organisation=Organisation.objects.get(code="hmrc"),
        summary="Encrypted memory stick lost in the office",
        description="An encrypted memory stick was mislaid in a secured "
        "office and has not been found.",
        aware_at=now - dt.timedelta(days=9),
        people_estimate=200,
    )
    _complete_and_grade(
        access,
        stick,
        {
            "kind": "lost_device",
            "on_premises": True,
            "encrypted": True,
            "individuals": 200,
            "records": 200,
            "containment": "Search of the office; key revoked.",
            "consequences": "None expected: the stick is encrypted.",
        },
        likelihood=3,
        severity=2,
    )
