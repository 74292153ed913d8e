"""``steward ledger``: verify bundles, witness checkpoints, make keys.

Thin over ``steward.ledger``. Exit codes: 0 good, 1 verification failed or
checkpoint refused, 2 usage or read error.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from steward.cli import app
from steward.ledger import (
    BundleError,
    InconsistentCheckpointError,
    NoteError,
    NoteSigner,
    NoteVerifier,
    Witness,
    verify_bundle,
)
from steward.ledger.note import COSIGNATURE_V1

ledger_app = typer.Typer(no_args_is_help=True)
app.add_typer(
    ledger_app, name="ledger",
    help="Verify ledger bundles offline, witness checkpoints, make keys.")
out = Console()
err = Console(stderr=True)

KEY_ENV = "STEWARD_LEDGER_KEY"
STATE_ENV = "STEWARD_WITNESS_STATE"

KeyOption = Annotated[str | None, typer.Option(
    "--key", help=f"The log's vkey, or a file with it (default: "
                  f"${KEY_ENV}).")]

# Bundles smaller than this verify without a progress bar.
_BAR_FROM = 50_000


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(message)
    return typer.Exit(code)


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"[red]Cannot read the {what} {path}:[/red] "
                    f"{exc}") from exc


def _verifier(key: str | None) -> NoteVerifier:
    """A vkey given inline, in a file, or in STEWARD_LEDGER_KEY."""
    value = key or os.environ.get(KEY_ENV)
    if not value:
        raise _fail(f"[red]No verifier key.[/red] Give --key with the log's "
                    f"vkey (or a file holding it), or set {KEY_ENV}.")
    if Path(value).is_file():
        value = _read(Path(value), "key file").strip()
    try:
        return NoteVerifier.from_vkey(value)
    except NoteError as exc:
        raise _fail(f"[red]The key is not a verifier key:[/red] {exc}. "
                    "It looks like name+hexid+base64key, as printed by "
                    "'steward ledger keygen'.") from exc


@ledger_app.command("verify")
def verify(
    bundle: Annotated[Path, typer.Argument(
        help="The bundle (.zip) to check.")],
    checkpoint: Annotated[Path | None, typer.Option(
        help="An older signed checkpoint the bundle must extend.")] = None,
    key: KeyOption = None,
) -> None:
    """Check that every entry hashes into the signed root.

    Also checks the checkpoint's signature and, with --checkpoint, that the
    log has not forked since that older checkpoint. On failure, names the
    first bad entry and why.
    """
    verifier = _verifier(key)
    older = _read(checkpoint, "checkpoint") if checkpoint else None
    with Progress(TextColumn("Verifying"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("verify", total=None, visible=False)

        def advance(done: int, total: int) -> None:
            if total >= _BAR_FROM:
                bar.update(task, completed=done, total=total, visible=True)

        try:
            report = verify_bundle(bundle, verifier, older, progress=advance)
        except BundleError as exc:
            raise _fail(f"[red]{exc}[/red]") from exc
    if not report.ok:
        where = ("" if report.first_bad_index is None
                 else f"entry {report.first_bad_index}: ")
        raise _fail(f"[red bold]FAILED[/red bold] {where}{report.reason}", 1)
    out.print(f"[green bold]OK[/green bold] {report.size} entries of "
              f"{report.origin} hash into the checkpoint signed by "
              f"{verifier.name}"
              + (", consistent with the older checkpoint" if older else "")
              + ".")


def _proof(path: Path | None) -> list[bytes]:
    if path is None:
        return []
    try:
        return [base64.b64decode(line, validate=True)
                for line in _read(path, "proof").split()]
    except (binascii.Error, ValueError) as exc:
        raise _fail("[red]The proof must be base64 hashes, one a "
                    "line.[/red]") from exc


@ledger_app.command("witness")
def witness(
    checkpoint: Annotated[Path, typer.Argument(
        help="The signed checkpoint.")],
    key: KeyOption = None,
    state: Annotated[Path | None, typer.Option(
        help=f"The witness's state directory (default: ${STATE_ENV} or "
             "./witness-state).")] = None,
    cosign_key: Annotated[Path | None, typer.Option(
        help="The witness's private key file, to co-sign what it "
             "accepts.")] = None,
    proof: Annotated[Path | None, typer.Option(
        help="Consistency proof from the last size seen: base64 hashes, "
             "one a line.")] = None,
) -> None:
    """Accept a checkpoint if it extends the last one seen; refuse forks.

    Prints the checkpoint, co-signed when --cosign-key is given.
    """
    verifier = _verifier(key)
    note = _read(checkpoint, "checkpoint")
    signer = None
    if cosign_key is not None:
        try:
            signer = NoteSigner.from_skey(_read(cosign_key, "key file"))
        except NoteError as exc:
            raise _fail(f"[red]The cosigning key is unusable:[/red] "
                        f"{exc}") from exc
    where = state or Path(os.environ.get(STATE_ENV, "witness-state"))
    try:
        verdict = Witness(where, signer).add(note, verifier, _proof(proof))
    except InconsistentCheckpointError as exc:
        raise _fail(f"[red bold]REFUSED[/red bold] {exc}", 1) from exc
    except NoteError as exc:
        raise _fail(f"[red bold]REFUSED[/red bold] the checkpoint: {exc}",
                    1) from exc
    seen = verdict.checkpoint
    before = (f" (was {verdict.previous.size})" if verdict.previous
              else " (first seen)")
    err.print(f"[green bold]ACCEPTED[/green bold] {seen.origin} at size "
              f"{seen.size}{before}")
    # The note must come out byte for byte: no Rich wrapping or markup.
    typer.echo(verdict.note, nl=False)


@ledger_app.command("keygen")
def keygen(
    name: Annotated[str, typer.Argument(
        help="The key's name, e.g. ledger.hmrc.example (no spaces).")],
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Where to write the private key "
                      "(default: NAME.key).")] = None,
    force: Annotated[bool, typer.Option(
        help="Overwrite an existing file.")] = False,
) -> None:
    """Make an Ed25519 signing key: writes the private key, prints vkeys."""
    try:
        signer = NoteSigner.generate(name)
    except NoteError as exc:
        raise _fail(f"[red]{exc}[/red]") from exc
    path = out_file or Path(re.sub(r"[^A-Za-z0-9._-]", "_", name) + ".key")
    if path.exists() and not force:
        raise _fail(f"[red]{path} exists.[/red] Choose another --out or "
                    "pass --force.")
    # Created owner-only: the file is the log's (or witness's) identity.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(signer.skey() + "\n")
    err.print(f"Private key written to {path} (keep it secret).")
    # Keys are copied by hand or by scripts: print them unwrapped.
    typer.echo(f"vkey: {signer.vkey()}")
    typer.echo(f"witness vkey: {signer.as_type(COSIGNATURE_V1).vkey()}")
