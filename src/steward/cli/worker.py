"""``steward worker``: run background tasks."""

from __future__ import annotations

import typer

from steward.cli import app
from steward.cli._django import setup


@app.command("worker")
def worker(
    quiet: bool = typer.Option(
        False,
        "--quiet",
        help="Log only warnings and failures, not every task run.",
    ),
) -> None:
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
    call_command(
        _command(quiet), "--queue-name", "default", verbosity=1
    )


def _command(quiet: bool):  # type: ignore[no-untyped-def]
    """django-tasks-db's worker command; quiet, it logs warnings and
    failures only (its own verbosity 0 would hide failures too)."""
    import logging

    from django_tasks_db.management.commands.db_worker import Command

    class Quiet(Command):  # type: ignore[misc]
        def configure_logging(self, verbosity: int) -> None:
            super().configure_logging(verbosity)
            for name in ("django_tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)

    return Quiet() if quiet else Command()
