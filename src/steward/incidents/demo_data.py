"""Demo incidents across departments, loaded by ``steward.demo``.

The first replays HM Revenue and Customs' loss of two discs in 2007
(policy.md §2.1, Poynter Review): sent unrecorded by internal post to the
National Audit Office on 18 October 2007, missed on 8 November, never
found; 25 million child-benefit records with bank details. Its root cause,
lessons and actions follow the Poynter Review's findings (data moved on
physical media, unencrypted; policies that existed but were not followed).

The others are fictional: a year of incidents across departments, each
graded, most notified and reviewed, some with lessons shared across
government and actions (some done on time, one done late, one overdue),
so that the themes page and the checks have something true to show; and
three recent ones still in hand (a laptop near its deadline, an email
sent to the wrong claimant, an encrypted memory stick).

History older than this database is replayed through the services and
then dated as it happened (``_backdate``): the audit trail still says
when the demo was loaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.actions import services as action_services
from steward.assets.models import Asset
from steward.incidents import clock, services
from steward.incidents.models import Incident, Notification
from steward.organisations.access import Access
from steward.organisations.models import Membership, Organisation, Role


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
    _backdate(incident, graded_after=dt.timedelta(days=1),
              notified_after=dt.timedelta(days=12))  # fmt: skip
    services.incident_learn(
        access=access,
        incident=incident,
        root_cause="procedure_not_followed",
        root_cause_detail="A bulk extract with every field was put on "
        "two unencrypted discs and sent by unrecorded internal post, "
        "against HMRC's own rules; the rules were hard to find and "
        "poorly understood (Poynter Review, 2008).",
        lessons="Do not move bulk personal data on physical media; where "
        "it cannot be avoided, encrypt it and use a tracked service. "
        "Extract only the fields the recipient needs. Bulk extracts need "
        "senior approval. Put a Data Guardian in every directorate.",
        share_lessons=True,
    )
    today = timezone.localdate()
    _action(access, incident, "Encrypt every laptop and all removable "
            "media holding personal data", today + dt.timedelta(days=90))
    done = _action(access, incident, "Require SIRO approval for every bulk "
                   "data extract", today + dt.timedelta(days=30))
    _done(access, done)


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


def _backdate(
    incident: Incident,
    *,
    graded_after: dt.timedelta,
    notified_after: dt.timedelta | None = None,
) -> None:
    """Date the replayed steps as they happened, counted from awareness."""
    graded = incident.aware_at + graded_after
    Incident.objects.filter(pk=incident.pk).update(
        reported_at=incident.aware_at,
        graded_at=graded,
        first_graded_at=graded,
    )
    if notified_after is not None:
        Notification.objects.filter(incident=incident).update(
            made_at=incident.aware_at + notified_after
        )


def _guardian(organisation: Organisation) -> Any:
    """The Data Guardian of the organisation's department."""
    return (
        Membership.objects.filter(
            role=Role.GUARDIAN,
            revoked_at__isnull=True,
            organisation__path__in=organisation.ancestor_paths(),
        )
        .select_related("user")
        .first()
        .user  # type: ignore[union-attr]
    )


def _action(
    access: Access, incident: Incident, title: str, due: dt.date
) -> Any:
    return action_services.action_create(
        access=access,
        organisation=incident.organisation,
        title=title,
        owner=_guardian(incident.organisation),
        due=due,
        source_kind="incident",
        source_id=incident.pk,
    )


def _done(access: Access, action: Any) -> None:
    action_services.action_update(
        access=access, action=action, status="done", note="Done"
    )


# (organisation, days ago, summary, description, facts, likelihood,
# severity, hours to notify the ICO (None: not notified), delay reason,
# root cause, lessons, shared, actions: (title, due in days, done)).
YEAR = [
    (
        "dvla", 330, "Bag of licence applications left on a train",
        "A bag of paper driving licence applications was left on a "
        "train between offices and handed in two days later.",
        {"kind": "lost_device", "on_premises": False, "individuals": 40,
         "records": 40, "containment": "Bag recovered from lost property; "
         "applicants told.", "consequences": "Identity fraud if copied."},
        3, 2, 30, "", "human_error",
        "Paper files travel in a locked case, counted out and in.", True,
        [],
    ),
    (
        "jcp", 290, "Letters sent to previous addresses after a batch error",
        "A change-of-address batch ran twice and letters about awards "
        "went to claimants' old addresses.",
        {"kind": "wrong_recipient", "financial": True, "individuals": 1200,
         "records": 1200, "containment": "Batch stopped; letters "
         "recalled where possible.", "consequences": "Award amounts and "
         "bank details seen by the new occupants."},
        4, 3, 60, "", "technical",
        "Test address-change batch jobs against the previous run before "
        "printing.", True,
        [("Compare each address batch with the previous run", -5, True)],
    ),
    (
        "ukba", 250, "Contractor lost an encrypted stick of visa scans",
        "A courier contractor lost an encrypted memory stick of scanned "
        "visa applications between two offices.",
        {"kind": "lost_device", "on_premises": False, "encrypted": True,
         "individuals": 300, "records": 300, "containment": "Key revoked; "
         "contractor searched the van.", "consequences": "None expected: "
         "the stick is encrypted."},
        3, 2, None, "", "third_party", "", False, [],
    ),
    (
        "dh", 215, "Old PCs sold without their disks wiped",
        "Desktop computers from a closed office were sold by a disposal "
        "firm with their disks intact.",
        {"kind": "insecure_disposal", "special_category": True,
         "individuals": 3000, "records": 9000, "containment": "Four PCs "
         "bought back; the firm suspended.", "consequences": "Health "
         "details of patients could be read by the buyers."},
        3, 4, 80, "The disposal firm's records had to be searched to find "
        "which machines were sold.", "procedure_not_followed",
        "Keep a certificate of destruction for every disk before paying a "
        "disposal firm.", True,
        [("Certificates of destruction for every disposed disk", -20,
          False)],
    ),
    (
        "hmcs", 180, "Court list with victims' addresses sent to the "
        "wrong solicitors",
        "A court list with the addresses of two victims was emailed to "
        "the wrong firm of solicitors.",
        {"kind": "wrong_recipient", "vulnerable": True, "individuals": 12,
         "records": 12, "containment": "The firm confirmed deletion in "
         "writing.", "consequences": "Risk to the safety of victims."},
        5, 3, 20, "", "human_error",
        "Turn off address autocomplete for email leaving the department.",
        True,
        [("Turn off address autocomplete for external email", 10, True)],
    ),
    (
        "ukvisas", 120, "Staff looked up visa records without a reason",
        "An access-log review found three members of staff looking up "
        "records of people they knew.",
        {"kind": "unauthorised_access", "individuals": 35, "records": 35,
         "containment": "Access removed; disciplinary process started.",
         "consequences": "Personal details seen by acquaintances."},
        5, 2, 50, "", "access_control",
        "Review access logs every month, not once a year.", False, [],
    ),
    (
        "voa", 90, "Spreadsheet published with hidden columns",
        "A spreadsheet published on the website had hidden columns with "
        "owners' names and bank details.",
        {"kind": "left_unprotected", "financial": True, "individuals": 800,
         "records": 800, "containment": "File taken down within an hour; "
         "search engines asked to drop it.", "consequences": "Bank "
         "details open to anyone who downloaded it."},
        4, 2, 40, "", "no_procedure",
        "Publish from a checked extract, never from the working file.",
        True,
        [("A publishing checklist for spreadsheets", 45, False)],
    ),
    (
        "spva", 60, "Phishing email led to a mailbox being read",
        "A member of staff entered their password on a phishing page; "
        "the mailbox was read from abroad for a day.",
        {"kind": "cyber_attack", "special_category": True,
         "individuals": 150, "records": 400, "containment": "Password "
         "reset; sessions revoked; NCSC told.", "consequences": "Medical "
         "details of veterans read by an attacker."},
        3, 3, 65, "", "malicious",
        "Multi-factor sign-in on every mailbox, with no exceptions.",
        True, [],
    ),
    (
        "csa", 30, "Case file left in a meeting room",
        "A paper case file was left in a meeting room in a secured "
        "building and found the next morning.",
        {"kind": "lost_device", "on_premises": True, "individuals": 2,
         "records": 1, "containment": "File recovered the next morning.",
         "consequences": "None expected: inside secured premises."},
        2, 2, None, "", "human_error", "", False, [],
    ),
]


def _year(access: Access) -> None:
    now = timezone.now()
    today = timezone.localdate()
    for (code, days, summary, description, facts, likelihood, severity,
         hours, delay, cause, lessons, shared, actions) in YEAR:  # fmt: skip
        aware = now - dt.timedelta(days=days)
        incident = services.incident_report(
            access=access,
            organisation=Organisation.objects.get(code=code),
            summary=summary,
            description=description,
            occurred_at=aware - dt.timedelta(hours=3),
            aware_at=aware,
            people_estimate=facts["individuals"],
        )
        _complete_and_grade(access, incident, facts, likelihood, severity)
        if hours is not None:
            services.notification_make(
                access=access,
                incident=incident,
                recipient="ico",
                phase="initial",
                delay_reason=delay or "Replayed by the demo loader",
            )
        _backdate(
            incident,
            graded_after=dt.timedelta(hours=min(hours or 24, 24)),
            notified_after=dt.timedelta(hours=hours) if hours else None,
        )
        for note in Notification.objects.filter(incident=incident):
            # Made in time when it happened: no delay to explain.
            note.late = hours is not None and hours > 72
            if not note.late:
                note.delay_reason = ""
                note.content["reasons_for_delay"] = ""
            note.save(update_fields=["late", "delay_reason", "content"])
        services.incident_learn(
            access=access,
            incident=incident,
            root_cause=cause,
            lessons=lessons,
            share_lessons=shared,
        )
        for title, due, done in actions:
            action = _action(
                access, incident, title, today + dt.timedelta(days=due)
            )
            if done:
                _done(access, action)
        services.incident_close(access=access, incident=incident)


def load(access: Access) -> None:
    now = timezone.now()
    _discs(access)
    _year(access)
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
