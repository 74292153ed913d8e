"""``steward scan``: look for personal data before it leaves.

Thin over ``steward.discovery.scan_paths``. Exit codes: 0 clean, 1 when a
``--fail-on`` rule trips, 2 on a usage error or when a source could not be
read (a gate must not pass what it could not see). A tripped rule wins over
a read error: either way the copy must not go ahead, and 1 says why.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from steward.cli import app
from steward.discovery import (
    FORMATS,
    DiscoveryError,
    Rule,
    parse_rules,
    render,
    scan_paths,
    tripped,
)

EXIT_CLEAN = 0
EXIT_TRIPPED = 1
EXIT_ERROR = 2


def _progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("scanning"),
        BarColumn(),
        TextColumn("{task.fields[units]}"),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


@app.command("scan")
def scan(
    targets: Annotated[list[str], typer.Argument(
        metavar="PATH|DB-URL...",
        help="Files, directories or SQLAlchemy database URLs.")],
    fmt: Annotated[str, typer.Option(
        "--format", help="table, json, csv or sarif.")] = "table",
    cluster: Annotated[str | None, typer.Option(
        help="Run on Dask: 'local' or tcp://HOST:PORT.")] = None,
    workers: Annotated[int, typer.Option(
        help="Processes (or Dask workers with --cluster local).")] = 1,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="Exit 1 when a rule holds, e.g. UK_NINO>=1000 "
        "or any-ppd; join several with commas.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o",
        help="Write the report here instead of standard output.")] = None,
    quiet: Annotated[bool, typer.Option(
        help="No progress bar.")] = False,
) -> None:
    """Scan files, archives and databases for UK personal data."""
    # markup=False: messages quote paths and table names such as "[t]".
    errors = Console(stderr=True, markup=False, highlight=False)
    if fmt not in FORMATS:
        errors.print(f"steward scan: --format {fmt!r} is not one of "
                     f"{', '.join(FORMATS)}")
        raise typer.Exit(EXIT_ERROR)
    try:
        rules: tuple[Rule, ...] = parse_rules(fail_on) if fail_on else ()
        with _progress_bar(errors) as bar:
            task: TaskID = bar.add_task("scan", total=None, units="",
                                        visible=not quiet)

            def progress(done: int, units: int, done_bytes: int,
                         total_bytes: int) -> None:
                bar.update(task, completed=done_bytes, total=total_bytes,
                           units=f"{done}/{units} files and tables")

            report = scan_paths(targets, workers=workers, cluster=cluster,
                                progress=progress)
    except DiscoveryError as error:
        errors.print(f"steward scan: {error}")
        raise typer.Exit(EXIT_ERROR) from error
    text = render(report, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    held = tripped(rules, report)
    for rule in held:
        errors.print(f"steward scan: --fail-on {rule} holds")
    for problem in report.problems:
        errors.print(f"steward scan: not scanned: {problem.message}")
    if held:
        raise typer.Exit(EXIT_TRIPPED)
    if report.problems:
        raise typer.Exit(EXIT_ERROR)
