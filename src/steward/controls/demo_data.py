"""The catalogue and a few procedures for the demo government.

HMRC has procedures for most of the 2008 measures, one of them overdue
review; DWP has a couple; the other departments have none yet, so the
coverage page shows every kind of gap.
"""

from __future__ import annotations

import dataclasses
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


# --- Assessments ----------------------------------------------------------
#
# Each fully staffed department assessed itself against the 2008 measures
# last financial year (signed off by its SIRO) and has started this year's.
# People's answers are the demo's fiction, told consistently: most
# departments have improved since last year; the automated answers come
# from the register, the organisation tree, procedures and scans as
# loaded, and their check runs carry the time they really ran. Some
# findings have actions, a few overdue. Departments with only a SIRO have
# not assessed themselves: the central team's view shows the gap.

# Departments, with this year's assessment signed off or still open.
ASSESSED = ["hmrc", "dwp", "dh", "ho", "moj", "dft", "fco", "mod"]
SIGNED_THIS_YEAR = {"hmrc", "dwp", "dh", "ho", "moj"}
# How likely (in percent) a manual requirement is met, per period.
MET_CHANCE = {"previous": 45, "current": 75}
NOTES = {
    "met": "In place and followed; the evidence is on the intranet.",
    "partly met": "In place at headquarters; two business units have not "
    "yet adopted it.",
    "not met": "Not yet in place; an action plan is agreed.",
}
ACTIONS = [
    "Agree the procedure with the business units",
    "Train the Information Asset Owners",
    "Report progress to the SIRO at the quarterly review",
]


def _pick(code: str, urn: str, period: str, chance: int) -> str:
    """A stable, varied answer for the demo: the same every load."""
    import hashlib

    roll = (
        int.from_bytes(
            hashlib.sha256(f"{code}|{urn}|{period}".encode()).digest()[:2],
            "big",
        )
        % 100
    )
    if roll < chance:
        return "met"
    if roll < chance + (100 - chance) // 2:
        return "partly met"
    return "not met"


def load_assessments(demo_domain: str) -> None:
    from steward.actions.services import action_create, action_update
    from steward.controls import periods
    from steward.controls.evidence import check_file
    from steward.controls.models import AnswerSource, FrameworkVersion
    from steward.controls.services import (
        LinkIn,
        answer_record,
        assessment_sign_off,
        assessment_start,
        finding_resolve,
    )
    from steward.organisations.access import access_for_user as _access

    def access_for_user(user: User) -> Access:
        """The person's roles, recorded in the audit trail as the demo
        loader (who really made the change)."""
        return dataclasses.replace(
            _access(user),
            actor_id="system:demo-loader",
            actor_label="system (demo-loader)",
        )

    today = timezone.localdate()
    current = periods.year_of(today)
    previous = periods.year_of(current.start - dt.timedelta(days=1))
    version = FrameworkVersion.objects.get(
        framework__slug="dhp2008", is_current=True
    )

    def person(role: str, code: str) -> User:
        return User.objects.get(email=f"{role}.{code}@{demo_domain}")

    for code in ASSESSED:
        org = Organisation.objects.get(code=code)
        guardian, iao, siro = (
            person("guardian", code),
            person("iao", code),
            person("siro", code),
        )
        for when, p in (("previous", previous), ("current", current)):
            a = assessment_start(
                access=access_for_user(guardian),
                organisation=org,
                version=version,
                period=p.code,
            )
            manual = list(a.answers.filter(source=AnswerSource.MANUAL))
            signed = when == "previous" or code in SIGNED_THIS_YEAR
            # An open assessment is part answered: the rest is to do.
            todo = manual if signed else manual[: len(manual) // 2]
            for i, answer in enumerate(todo):
                result = _pick(
                    code, answer.requirement.urn, p.code, MET_CHANCE[when]
                )
                files = []
                if code == "hmrc" and i == 0:
                    files = [
                        check_file(
                            "board-minute.txt",
                            (
                                f"HMRC Board, information risk item, "
                                f"{p.code}: the SIRO reported on "
                                f"{answer.requirement.title.lower()}.\n"
                            ).encode(),
                        )
                    ]
                answer_record(
                    access=access_for_user(iao if i % 2 else guardian),
                    answer=answer,
                    result=result,
                    note=NOTES[result],
                    files=files,
                    links=[
                        LinkIn(
                            f"https://intranet.{code}.{demo_domain}/"
                            f"assurance/{p.code.replace(' ', '-')}/"
                            f"{answer.requirement.ref}",
                            f"{answer.requirement.ref} evidence pack",
                        )
                    ],
                    observed_on=min(p.end, today),
                )
            if signed:
                assessment_sign_off(
                    access=access_for_user(siro),
                    assessment=a,
                    note="Reviewed with the Information Asset Owners.",
                )
            # Actions on this year's findings; last year's are done.
            for j, finding in enumerate(
                list(
                    a.findings.filter(status="open").select_related(
                        "requirement"
                    )
                )
            ):
                due = (
                    today - dt.timedelta(days=20 + j)
                    if j % 3 == 0
                    else today + dt.timedelta(days=30 + 15 * j)
                )
                step = ACTIONS[j % len(ACTIONS)]
                step = step[0].lower() + step[1:]
                action = action_create(
                    access=access_for_user(guardian),
                    organisation=org,
                    # Named for the requirement it puts right.
                    title=f"{finding.requirement.title}: {step}",
                    owner=iao,
                    due=due,
                    source_kind="finding",
                    source_id=finding.pk,
                )
                if when == "previous":
                    action_update(
                        access=access_for_user(guardian),
                        action=action,
                        status="done",
                        note="Done before the year end",
                    )
                    finding_resolve(
                        access=access_for_user(guardian),
                        finding=finding,
                        note="Put right during the year: the action plan "
                        "is done.",
                    )
