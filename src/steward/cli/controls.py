"""``steward controls load``: the catalogue of government-wide standards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from steward.cli import app
from steward.cli._django import setup

controls_app = typer.Typer(
    help="The catalogue of government-wide standards.", no_args_is_help=True
)
app.add_typer(controls_app, name="controls")
out = Console()
err = Console(stderr=True)


@controls_app.command("load")
def load(
    directory: Annotated[
        Path | None,
        typer.Option(
            help="Folder of framework files (default: the shipped catalogue)."
        ),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(help="Load only this framework, e.g. dhp2008."),
    ] = None,
) -> None:
    """Install or upgrade the catalogue's frameworks from their files.

    Safe to run again: a version already loaded is left as it is. A file
    with a new version is loaded beside the old one, which stays readable.
    Exit code 2 when a file is invalid, nothing loaded from it.
    """
    setup()
    from steward.common.errors import Invalid
    from steward.controls.loading import catalogue_install
    from steward.controls.schema import CATALOGUE_DIR, CatalogueError

    try:
        results = catalogue_install(
            directory=directory or CATALOGUE_DIR, only=framework
        )
    except CatalogueError as exc:
        err.print(f"Invalid catalogue file: {exc}", markup=False)
        raise typer.Exit(2) from None
    except KeyError:
        err.print(f"No framework file for {framework!r}.", markup=False)
        raise typer.Exit(2) from None
    except Invalid as exc:
        err.print(f"Not loaded: {exc}", markup=False)
        raise typer.Exit(2) from None
    for r in results:
        v = r.version
        state = "loaded" if r.created else "already loaded"
        out.print(f"{v.framework.slug} {v.version}: {state}", markup=False)


@controls_app.command("export")
def export(
    framework: Annotated[
        str, typer.Argument(help="The framework's slug, e.g. dhp2008.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(help="Write here instead of printing."),
    ] = None,
) -> None:
    """Print (or write) a framework file as an OSCAL catalog in JSON.

    Exit code 2 when there is no such framework file.
    """
    import json

    from steward.controls.oscal import catalog_from_framework
    from steward.controls.schema import CATALOGUE_DIR, read_framework

    path = CATALOGUE_DIR / f"{framework}.yaml"
    if not path.is_file():
        err.print(f"No framework file for {framework!r}.", markup=False)
        raise typer.Exit(2)
    text = json.dumps(catalog_from_framework(read_framework(path)), indent=2)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        out.print(f"Wrote {output}", markup=False)
