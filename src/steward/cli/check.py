"""``steward check``: is this installation configured soundly?"""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.console import Console
from rich.table import Table

from steward.cli import app

console = Console()


@dataclass
class Finding:
    what: str
    ok: bool
    detail: str


def _findings() -> list[Finding]:
    from django.conf import settings
    from django.core import checks
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    found = []
    errors = [m for m in checks.run_checks() if m.level >= checks.ERROR]
    found.append(
        Finding(
            "Django system checks",
            not errors,
            "; ".join(str(m) for m in errors) or "no errors",
        )
    )
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        found.append(
            Finding(
                "Database reachable",
                True,
                f"{connection.vendor} {settings.DATABASES['default']['NAME']}",
            )
        )
        found.append(
            Finding(
                "Migrations applied",
                not pending,
                f"{len(pending)} to apply: run 'steward run' or "
                "'python -m django migrate'"
                if pending
                else "up to date",
            )
        )
    except Exception as exc:  # noqa: BLE001 - report any database failure
        found.append(
            Finding(
                "Database reachable",
                False,
                f"{type(exc).__name__}: check DATABASE_URL",
            )
        )
    static = settings.STATIC_ROOT / "staticfiles.json"
    found.append(
        Finding(
            "Static files collected",
            static.exists() or settings.DEBUG,
            str(settings.STATIC_ROOT)
            if static.exists()
            else "run 'steward run' (it collects them) or collectstatic",
        )
    )
    govuk = settings.BASE_DIR / "node_modules" / "govuk-frontend"
    found.append(
        Finding(
            "GOV.UK Frontend assets",
            govuk.exists(),
            str(govuk) if govuk.exists() else "run 'npm ci' (make run does)",
        )
    )
    found.append(
        Finding(
            "Debug mode off",
            not settings.DEBUG,
            "STEWARD_DEBUG is on: never in production"
            if settings.DEBUG
            else "off",
        )
    )
    mail = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    found.append(
        Finding(
            "Email",
            True,
            f"{mail} backend"
            + (
                f" writing to {settings.EMAIL_FILE_PATH}"
                if mail == "filebased"
                else ""
            ),
        )
    )
    found.append(
        Finding(
            "TLS",
            True,
            "secure cookies and HSTS on"
            if settings.TLS
            else "off: set STEWARD_TLS=true when served over HTTPS",
        )
    )
    return found


@app.command("check")
def check() -> None:
    """Check the configuration: database, migrations, static files,
    assets, debug mode, email and TLS. Exits 1 if anything is wrong."""
    from steward.cli._django import setup

    try:
        setup()
    except Exception as exc:  # noqa: BLE001 - configuration errors vary
        console.print(f"[red]Steward cannot start: {exc}[/red]")
        raise typer.Exit(1) from None
    table = Table(title="Steward configuration")
    table.add_column("Check")
    table.add_column("Result")
    table.add_column("Detail")
    findings = _findings()
    for f in findings:
        table.add_row(
            f.what,
            "[green]ok[/green]" if f.ok else "[red]problem[/red]",
            f.detail,
        )
    console.print(table)
    if not all(f.ok for f in findings):
        raise typer.Exit(1)
