"""Every write to a Statement of Internal Control.

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only) and records one audit event holding ids,
digests and the period, never the statement's words. Data Guardians and
the SIRO draft and edit; only the SIRO, signed in with two-factor, signs.
A signed statement is never changed.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.controls import periods
from steward.controls.statement_models import Statement, StatementStatus
from steward.controls.statements import drafting
from steward.organisations.access import Access
from steward.organisations.models import Kind, Organisation, Role

STATEMENT_EDITORS = (Role.SIRO, Role.GUARDIAN)
STATEMENT_SIGNERS = (Role.SIRO,)
# Bodies that make a Statement of Internal Control of their own.
STATEMENT_KINDS = (Kind.DEPARTMENT, Kind.AGENCY, Kind.ALB)
MAX_TEXT = 50_000


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_editor(access: Access, organisation: Organisation) -> None:
    if not access.has_role(STATEMENT_EDITORS, organisation):
        raise Forbidden(
            "Only a Data Guardian or the SIRO drafts and edits the statement"
        )


def _year(text: str) -> periods.Period:
    year = periods.parse(text)
    if year.quarter is not None:
        raise Invalid(
            {"period": "A statement covers a financial year, like 2008-09"}
        )
    return year


def _user_id(access: Access) -> int | None:
    return access.user_id


def _lock_draft(statement: Statement) -> Statement:
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.status == StatementStatus.SIGNED:
        raise Forbidden("The statement is signed: it can be read, not changed")
    return locked


@transaction.atomic
def statement_draft(
    *, access: Access, organisation: Organisation, period: str
) -> Statement:
    """Draft the organisation's statement for a financial year from its
    assessment, findings, actions and procedures."""
    _check_editor(access, organisation)
    if organisation.kind not in STATEMENT_KINDS:
        raise Invalid(
            {
                "organisation": "Departments, agencies and arm's-length "
                "bodies make a Statement of Internal Control"
            }
        )
    year = _year(period)
    if Statement.objects.filter(
        organisation=organisation, period=year.code
    ).exists():
        raise Invalid(
            {
                "period": f"There is already a statement for {year.code}; "
                "open it to edit or redraft it"
            }  # fmt: skip
        )
    made = drafting.draft(organisation, year)
    now = timezone.now()
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                organisation=organisation,
                period=year.code,
                period_start=year.start,
                period_end=year.end,
                assessment=made.assessment,
                text=made.text,
                sources=made.sources,
                created_by_id=_user_id(access),
                created_at=now,
                updated_by_id=_user_id(access),
                updated_at=now,
            )
    except IntegrityError:
        raise Invalid(
            {"period": f"There is already a statement for {year.code}"}
        ) from None
    audit_record(
        actor_id=access.actor_id,
        action="statement.draft",
        obj=statement,
        organisation_id=organisation.pk,
        details={
            "period": year.code,
            "assessment": made.assessment.pk if made.assessment else 0,
            "findings": len(made.sources["findings"]),
            "digest": digest(statement.text),
        },
    )
    return statement


@transaction.atomic
def statement_redraft(*, access: Access, statement: Statement) -> Statement:
    """Draft the text again from the records as they are now; edits made
    to the draft are replaced (the audit trail keeps their digests)."""
    _check_editor(access, statement.organisation)
    statement = _lock_draft(statement)
    made = drafting.draft(statement.organisation, _year(statement.period))
    statement.text = made.text
    statement.sources = made.sources
    statement.assessment = made.assessment
    statement.updated_by_id = _user_id(access)
    statement.updated_at = timezone.now()
    statement.save()
    audit_record(
        actor_id=access.actor_id,
        action="statement.draft",
        obj=statement,
        organisation_id=statement.organisation_id,
        details={
            "period": statement.period,
            "assessment": made.assessment.pk if made.assessment else 0,
            "findings": len(made.sources["findings"]),
            "digest": digest(statement.text),
        },
    )
    return statement


@transaction.atomic
def statement_update(
    *, access: Access, statement: Statement, text: str
) -> Statement:
    """Edit the draft's words."""
    _check_editor(access, statement.organisation)
    statement = _lock_draft(statement)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise Invalid({"text": "Enter the statement"})
    if len(text) > MAX_TEXT:
        raise Invalid(
            {"text": f"The statement must be {MAX_TEXT:,} characters or fewer"}
        )
    if text == statement.text:
        raise Invalid({"text": "Nothing has changed"})
    before = digest(statement.text)
    statement.text = text
    statement.updated_by_id = _user_id(access)
    statement.updated_at = timezone.now()
    statement.save(update_fields=["text", "updated_by", "updated_at"])
    audit_record(
        actor_id=access.actor_id,
        action="statement.update",
        obj=statement,
        organisation_id=statement.organisation_id,
        details={"before": before, "digest": digest(text)},
    )
    return statement


@transaction.atomic
def statement_sign(
    *, access: Access, statement: Statement, two_factor_verified: bool
) -> Statement:
    """The SIRO signs the statement, in a session verified with their
    second factor. The signature is the audited event; the statement is
    read-only from then on."""
    if not access.has_role(STATEMENT_SIGNERS, statement.organisation):
        raise Forbidden("Only the SIRO signs the statement")
    if access.user_id is None or not two_factor_verified:
        raise Forbidden(
            "Sign in with your authenticator app before signing the statement"
        )
    statement = _lock_draft(statement)
    statement.status = StatementStatus.SIGNED
    statement.signed_by_id = access.user_id
    statement.signed_at = timezone.now()
    statement.signed_digest = digest(statement.text)
    statement.save(
        update_fields=["status", "signed_by", "signed_at", "signed_digest"]
    )
    audit_record(
        actor_id=access.actor_id,
        action="statement.sign",
        obj=statement,
        organisation_id=statement.organisation_id,
        details={
            "period": statement.period,
            "digest": statement.signed_digest,
        },
    )
    return statement
