"""Verifying the whole ledger on a schedule, in the background worker.

One task is kept queued for the time the next verification is due: the
last verification (scheduled or from the Ledger page) plus
``settings.LEDGER_VERIFY_EVERY``. When it runs it verifies if that time
has come (a verification from the page meanwhile moves it on) and then
queues the next. The worker queues the first when it starts. A run is the
Ledger page's: recorded as a ``LedgerVerification`` and audited, with the
system actor ``system:ledger-verifier``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import get_date_max

from steward.common import recurring
from steward.organisations.access import system_access
from steward.trail import services
from steward.trail.models import LedgerVerification

VERIFIER = "ledger-verifier"


def verification_due() -> datetime | None:
    """When the next scheduled verification is due (``None``: never, the
    schedule is off)."""
    every = settings.LEDGER_VERIFY_EVERY
    if not every:
        return None
    last = LedgerVerification.objects.first()
    now = timezone.now()
    return now if last is None else max(now, last.verified_at + every)


def next_scheduled_verification() -> datetime | None:
    """When the queued verification will run, if one is queued: not before
    it is due, since a run that finds it early only queues the next."""
    if not recurring.can_schedule(verify_ledger_on_schedule):
        return None
    run = recurring.queued(verify_ledger_on_schedule)
    due = verification_due()
    if run is None or due is None:
        return None
    if run.run_after == get_date_max():
        return due
    return max(run.run_after, due)


def schedule_ledger_verification() -> datetime | None:
    """Queue the next verification at the time it is due, unless one is
    queued already; return when it will run. Nothing is queued when the
    schedule is off or the task backend cannot run tasks later (tests'
    immediate backend)."""
    due = verification_due()
    if due is None or not recurring.ensure_queued(
        verify_ledger_on_schedule, due
    ):
        return None
    return next_scheduled_verification()


@task()
def verify_ledger_on_schedule() -> str:
    """Verify the whole ledger if it is due, then queue the next run."""
    try:
        due = verification_due()
        if due is None or due > timezone.now():
            return "not due"
        result = services.ledger_verify(access=system_access(VERIFIER))
        return "verified" if result.ok else "FAILED"
    finally:
        schedule_ledger_verification()
