"""``steward user``: add people from the command line."""

from __future__ import annotations

import typer
from rich.console import Console

from steward.cli import app
from steward.cli._django import setup

user_app = typer.Typer(
    help="Add people and give them roles.", no_args_is_help=True
)
app.add_typer(user_app, name="user")
err = Console(stderr=True)


@user_app.command("create")
def create(
    email: str = typer.Option(
        ..., help="Their email address; they sign in with it."
    ),
    name: str = typer.Option(..., help="Their full name."),
    organisation: str = typer.Option(
        ...,
        "--organisation",
        "--org",
        help="Code of the organisation the role is held in, e.g. hmrc.",
    ),
    role: str = typer.Option(
        ..., help="siro, iao, guardian, staff, central or auditor."
    ),
    password: str = typer.Option(
        None,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="Their first password (asked for if not given).",
    ),
) -> None:
    """Add a person with a role in an organisation.

    A siro role appoints them as the organisation's SIRO (ending the
    current appointment). Example:

        steward user create --email a.b@hmrc.gov.uk --name "A B"
        --org hmrc --role guardian
    """
    setup()
    from steward.common.errors import Invalid, StewardError
    from steward.organisations import services
    from steward.organisations.access import system_access
    from steward.organisations.models import Organisation, Role

    access = system_access("cli")
    org = Organisation.objects.filter(code=organisation).first()
    if org is None:
        err.print(
            f"[red]No organisation has the code {organisation!r}.[/red]"
            " List them at /organisations/ or in the API."
        )
        raise typer.Exit(2)
    if role not in Role.values:
        err.print(
            f"[red]{role!r} is not a role.[/red] Choose one of: "
            + ", ".join(Role.values)
        )
        raise typer.Exit(2)
    try:
        # A SIRO is appointed, not granted: they join as staff first.
        grant = Role.STAFF if role == Role.SIRO else role
        user = services.user_create(
            access=access,
            email=email,
            full_name=name,
            organisation=org,
            role=grant,
            password=password,
        )
        if role == Role.SIRO:
            services.siro_appoint(
                access=access,
                organisation=org,
                person=user,
                reason="Added from the CLI",
            )
    except Invalid as exc:
        for field, message in exc.errors.items():
            err.print(f"[red]{field}: {message}[/red]")
        raise typer.Exit(2) from None
    except StewardError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    typer.echo(f"Added {user.email} as {role} in {org.name}.")
