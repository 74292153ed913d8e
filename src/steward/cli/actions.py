"""``steward actions remind``: email owners their due and overdue actions."""

from __future__ import annotations

import typer
from rich.console import Console

from steward.cli import app
from steward.cli._django import setup

actions_app = typer.Typer(help="Action plans.", no_args_is_help=True)
app.add_typer(actions_app, name="actions")
out = Console()


@actions_app.command("remind")
def remind() -> None:
    """Email each owner their actions due within a week or overdue.

    Safe to run daily (from cron or a scheduler): an action is reminded at
    most once a week.
    """
    setup()
    from steward.actions.reminders import send_reminders

    count = send_reminders()
    out.print(f"Reminded owners of {count} action(s).")
