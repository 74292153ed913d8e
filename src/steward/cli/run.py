"""``steward run``: everything needed to use Steward on this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import typer
from rich.console import Console

from steward.cli import app
from steward.cli._django import setup

console = Console()

# For a 2-core machine: one process per core, each with a few threads so
# that a request waiting on the database does not hold a core idle.
# Measured with bench/assets_load.py (50 people on the asset register).
WORKERS = 2
THREADS = 4


def gunicorn_command(
    *,
    host: str,
    port: int,
    workers: int | None = None,
    threads: int | None = None,
) -> list[str]:
    """The web server as ``steward run`` starts it (and the load benchmark
    measures it)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "steward.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers or WORKERS),
        "--threads",
        str(threads or THREADS),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]


@app.command("run")
def run(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        WORKERS, help="Web server processes (gunicorn workers)."
    ),
    threads: int = typer.Option(
        THREADS, help="Threads in each web server process."
    ),
    demo: bool = typer.Option(
        True, help="Load the demo government if the database is empty."
    ),
    task_worker: bool = typer.Option(
        True,
        "--task-worker/--no-task-worker",
        help="Also start the background-task worker.",
    ),
) -> None:
    """Serve Steward: apply migrations, collect static files, load the demo
    into an empty database, then start the web server (gunicorn) and the
    background-task worker. Ctrl-C stops both."""
    setup(create_key=True)
    from django.conf import settings
    from django.core.management import call_command

    from steward import demo as demo_data
    from steward.audit.publishing import publish_all
    from steward.cli.demo import print_logins

    with console.status("Applying database migrations…"):
        call_command("migrate", verbosity=0)
    with console.status("Collecting static files…"):
        call_command("collectstatic", interactive=False, verbosity=0)
    if demo and not demo_data.is_loaded():
        with console.status("Loading the demo government…"):
            demo_data.load()
        # Its history in the ledger, signed, before the worker's first
        # scheduled verification looks at it.
        with console.status("Publishing its history to the ledger…"):
            publish_all()
    if demo:
        print_logins()
    db = settings.DATABASES["default"]
    console.print(f"Data: {db['NAME']} ({db['ENGINE'].rsplit('.', 1)[-1]})")
    children = []
    if task_worker:
        children.append(
            subprocess.Popen(
                [sys.executable, "-m", "steward", "worker", "--quiet"]
            )
        )
    children.append(
        subprocess.Popen(
            gunicorn_command(
                host=host, port=port, workers=workers, threads=threads
            ),
            env=dict(os.environ),
        )
    )
    console.print(
        f"\nSteward is running at [bold]http://{host}:{port}/[/bold]"
        " – press Ctrl-C to stop."
    )
    _wait(children)


def _wait(children: list[subprocess.Popen[bytes]]) -> None:
    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for child in children:
            child.wait(timeout=30)
    failed = [c for c in children if c.returncode not in (0, -15, None)]
    if failed:
        raise typer.Exit(1)
