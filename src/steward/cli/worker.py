"""``steward worker``: run background tasks."""

from __future__ import annotations

from steward.cli import app
from steward.cli._django import setup


@app.command("worker")
def worker() -> None:
    """Run the background-task worker (long scans, reports, emails, the
    ledger's periodic verification, the daily reminders to action
    owners).

    'steward run' starts one for you; run more on other machines that
    share the database to do more at once.
    """
    setup()
    from django.core.management import call_command

    from steward.actions.tasks import schedule_reminders
    from steward.trail.tasks import schedule_ledger_verification

    # Recurring tasks keep themselves queued once started.
    schedule_ledger_verification()
    schedule_reminders()
    call_command("db_worker", "--queue-name", "default")
