"""``steward worker``: run background tasks."""

from __future__ import annotations

from steward.cli import app
from steward.cli._django import setup


@app.command("worker")
def worker() -> None:
    """Run the background-task worker (long scans, reports, emails, the
    ledger's periodic verification).

    'steward run' starts one for you; run more on other machines that
    share the database to do more at once.
    """
    setup()
    from django.core.management import call_command

    from steward.trail.tasks import schedule_ledger_verification

    # The ledger's periodic verification keeps itself queued once started.
    schedule_ledger_verification()
    call_command("db_worker", "--queue-name", "default")
