"""Demo data for procedures' history, a contractor's own assessment and
Statements of Internal Control, loaded after the departments'
assessments (``steward.demo.load_statements``), all through the
services as the demo's people.

The story: HMRC's information-risk roles procedure was revised this year
(its history and the uploaded document show it). DWP's IT contractor,
Northgate Benefit Systems, assessed itself this year and DWP's SIRO
signed it off; the Child Support Agency has not, so the check "each
arm's-length body and contractor handling PPD has been assessed" is
partly met for DWP. HMRC's SIRO signed last year's Statement of Internal
Control after a guardian's edit; this year's HMRC, DWP and DfT drafts
wait for their SIROs (DfT's from an assessment still in progress). The
demo loader stands in for the SIRO's two-factor sign-in when signing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from steward.accounts.models import User
from steward.controls import evidence, periods
from steward.controls.models import AnswerSource, FrameworkVersion, Procedure
from steward.controls.procedures.services import (
    procedure_document_upload,
    procedure_update,
)
from steward.controls.statements.services import (
    statement_draft,
    statement_sign,
    statement_update,
)
from steward.organisations.access import Access, access_for_user
from steward.organisations.models import Organisation

# (department, financial year: "current" or "previous", signed)
STATEMENTS = [
    ("hmrc", "previous", True),
    ("hmrc", "current", False),
    ("dwp", "current", False),
    ("dft", "current", False),
]
BOARD_NOTE = (
    "The Audit and Risk Committee reviewed this statement with the SIRO "
    "before it was signed."
)


def _person(role: str, code: str, domain: str) -> User:
    return User.objects.get(email=f"{role}.{code}@{domain}")


def _as(role: str, code: str, domain: str) -> Access:
    """The demo loader acting with a demo person's roles: the records
    name the person (who signed, who edited), the audit trail the
    loader, as for everything the demo creates."""
    person = _person(role, code, domain)
    return Access(
        actor_id="system:demo-loader",
        actor_label="system (demo-loader)",
        grants=access_for_user(person).grants,
        user_id=person.pk,
    )


def load_procedure_history(demo_domain: str) -> None:
    procedure = Procedure.objects.filter(
        organisation__code="hmrc",
        title="Information risk roles and responsibilities",
    ).first()
    if procedure is None:
        return
    guardian = _as("guardian", "hmrc", demo_domain)
    procedure_update(
        access=guardian,
        procedure=procedure,
        title=procedure.title,
        version="2.2",
        owner=procedure.owner,
        next_review=procedure.next_review,
        requirement_urns=[
            *procedure.links.values_list("urn", flat=True),
            "urn:steward:dhp2008:statement-on-internal-control",
        ],
        document_url=procedure.document_url,
        reason="The SIRO's role in the Statement of Internal Control added",
    )
    procedure_document_upload(
        access=guardian,
        procedure=procedure,
        document=evidence.check_file(
            "information-risk-roles-v2.2.txt",
            b"HMRC information risk roles and responsibilities, v2.2\n\n"
            b"The SIRO owns the information risk policy, reports to the "
            b"Accounting Officer each quarter and signs the information "
            b"risk part of the Statement of Internal Control.\n",
        ),
    )


def load_body_assessment(demo_domain: str) -> None:
    from steward.controls.services import (
        answer_record,
        assessment_sign_off,
        assessment_start,
    )

    body = Organisation.objects.filter(code="dwp-it").first()
    if body is None:
        return
    year = periods.year_of(timezone.localdate())
    guardian = _as("guardian", "dwp", demo_domain)
    assessment = assessment_start(
        access=guardian,
        organisation=body,
        version=FrameworkVersion.objects.get(
            framework__slug="dhp2008", is_current=True
        ),
        period=year.code,
    )
    for i, answer in enumerate(
        assessment.answers.filter(source=AnswerSource.MANUAL).order_by(
            "requirement__position"
        )
    ):
        answer_record(
            access=guardian,
            answer=answer,
            result="partly met" if i % 5 == 4 else "met",
            note="Assessed with the contractor's security manager under "
            "the contract's assurance schedule.",
        )
    assessment_sign_off(
        access=_as("siro", "dwp", demo_domain),
        assessment=assessment,
        note="Contractor's assessment reviewed at the contract board.",
    )


def load_statements(demo_domain: str) -> None:
    today = timezone.localdate()
    current = periods.year_of(today)
    previous = periods.year_of(current.start - dt.timedelta(days=1))
    for code, when, signed in STATEMENTS:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            continue
        guardian = _as("guardian", code, demo_domain)
        statement = statement_draft(
            access=guardian,
            organisation=organisation,
            period=(current if when == "current" else previous).code,
        )
        if signed:
            statement = statement_update(
                access=guardian,
                statement=statement,
                text=f"{statement.text}\n\n{BOARD_NOTE}",
            )
            statement_sign(
                access=_as("siro", code, demo_domain),
                statement=statement,
                two_factor_verified=True,
            )


def load(demo_domain: str) -> None:
    load_procedure_history(demo_domain)
    load_body_assessment(demo_domain)
    load_statements(demo_domain)
