"""``steward demo``: load the demo government and show its logins."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from steward.cli import app
from steward.cli._django import setup

demo_app = typer.Typer(
    help="The demo government built from the seed report's departments.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(demo_app, name="demo")
console = Console()


# One login per role, shown when Steward starts; 'steward demo' lists all.
_SHOWCASE = (
    "central",
    "auditor.ico",
    "siro.hmrc",
    "iao.hmrc",
    "guardian.hmrc",
    "staff.hmrc",
    "siro.dwp",
)


def print_logins(*, everyone: bool = False) -> None:
    from steward import demo

    table = Table(title="Demo logins", show_lines=False)
    table.add_column("Email", no_wrap=True)
    table.add_column("Role", no_wrap=True)
    table.add_column("Organisation")
    table.add_column("2FA", no_wrap=True)
    shown = [
        login
        for login in demo.logins()
        if everyone or login.email.split("@")[0] in _SHOWCASE
    ]
    for login in shown:
        table.add_row(
            login.email,
            login.role,
            login.organisation,
            "yes" if login.two_factor else "",
        )
    console.print(table)
    if not everyone:
        console.print(
            "Every department has siro.CODE@"
            + demo.DEMO_DOMAIN
            + "; 'steward demo' lists every login."
        )
    console.print(
        f"Password for every demo login: [bold]{demo.DEMO_PASSWORD}[/bold]\n"
        f"Two-factor: add the key [bold]{demo.DEMO_TOTP_SECRET}[/bold] to "
        "an authenticator app, or run [bold]steward demo codes[/bold] for "
        "the current code."
    )


@demo_app.callback()
def load(ctx: typer.Context) -> None:
    """Load the demo government into an empty database, then list the
    logins. Does nothing to a database that already holds data."""
    if ctx.invoked_subcommand is not None:
        return
    setup(create_key=True)
    from django.core.management import call_command

    from steward import demo

    call_command("migrate", verbosity=0)
    if demo.is_loaded():
        console.print(
            "The database already holds data; the demo was not loaded again."
        )
    else:
        with console.status("Loading the demo government…"):
            demo.load()
        console.print("Demo government loaded.")
    print_logins(everyone=True)


@demo_app.command("codes")
def codes() -> None:
    """Print the current two-factor code for the demo logins."""
    from django_otp.oath import TOTP

    setup()
    from steward import demo

    totp = TOTP(demo.DEMO_TOTP_KEY)
    console.print(
        f"Current code: [bold]{totp.token():06d}[/bold] "
        f"(changes every 30 seconds)"
    )
