"""``steward ledger publish|export|status``: this installation's ledger.

These need Steward's database; the other ledger commands work anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steward.cli._django import setup
from steward.cli.ledger import ledger_app, out


@ledger_app.command("publish")
def publish() -> None:
    """Append waiting audit events to the ledger and sign a checkpoint.

    The background worker does this after every change; run it by hand
    after restoring a backup or to catch up at once.
    """
    setup()
    from steward.audit.publishing import publish_all

    count = publish_all()
    out.print(f"Published {count} audit event(s) to the ledger.")


@ledger_app.command("status")
def status() -> None:
    """Show the ledger's size, last signed checkpoint and verifier key."""
    setup()
    from steward.audit.models import AuditEvent
    from steward.audit.publishing import ledger_signer, open_ledger

    with open_ledger() as log:
        out.print(f"Origin: {log.origin}\nEntries: {log.size}")
        waiting = AuditEvent.objects.filter(ledger_index__isnull=True)
        out.print(f"Waiting in the outbox: {waiting.count()}")
        out.print(f"Verifier key: {ledger_signer().vkey()}")
        note = log.signed_checkpoint()
        out.print(note or "No checkpoint signed yet.", markup=False,
                  highlight=False, soft_wrap=True)


@ledger_app.command("export")
def export(
    bundle: Annotated[Path, typer.Argument(
        help="Where to write the bundle (.zip).")],
) -> None:
    """Write every entry and the last signed checkpoint to a bundle that
    'steward ledger verify' checks offline."""
    setup()
    from steward.audit.publishing import ledger_signer, open_ledger

    with open_ledger() as log:
        count = log.export_bundle(bundle)
    out.print(f"Wrote {count} entries to {bundle}.\nVerify with: steward "
              f"ledger verify {bundle} --key {ledger_signer().vkey()}",
              soft_wrap=True)
