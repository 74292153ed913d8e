"""The one command-line entry point, ``steward``.

One module per command group; each is thin over the operations it calls.
"""

import typer

app = typer.Typer(
    name="steward",
    help=(
        "Steward: data-handling assurance for UK government.\n\n"
        "Start here: 'steward run' serves the web application with a demo "
        "government; 'steward check' tells you whether the configuration "
        "is sound."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def _register() -> None:
    # Imported here so that each command module can import ``app`` above.
    from steward.cli import commands  # noqa: F401


def main() -> None:
    _register()
    app()
