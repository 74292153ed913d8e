"""Moves audit events from the outbox into the ledger, exactly once.

The ledger keeps its own database, so an append and the outbox row's
"published" mark cannot share a transaction. Instead every run first
recovers: entries the ledger holds beyond the last marked one (left by a
run that died between the two steps) are matched to their outbox rows by
event id and marked. Only then are the remaining rows appended. Runs take
a lock on the outbox, so two workers never publish at once.
"""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from steward.audit.models import AuditEvent
from steward.ledger import Event, Log, NoteSigner

BATCH = 5000


def open_ledger() -> Log:
    return Log.open(settings.LEDGER_URL, origin=settings.LEDGER_ORIGIN)


def ledger_signer() -> NoteSigner:
    """The log's signing key, made once and kept readable by owner only."""
    path = Path(settings.LEDGER_KEY_FILE)
    if path.exists():
        return NoteSigner.from_skey(path.read_text())
    signer = NoteSigner.generate(settings.LEDGER_ORIGIN)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(signer.skey() + "\n")
    return signer


def ledger_event(event: AuditEvent) -> Event:
    """The outbox row as the ledger's event: ids, a digest and details."""
    return Event(
        id=event.event_id,
        time=event.occurred_at.astimezone(UTC),
        actor=event.actor_id,
        organisation=(
            f"org:{event.organisation_id}"
            if event.organisation_id is not None
            else "none"
        ),
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        digest=event.state_digest,
        details=event.details,
    )


def _recover(log: Log) -> int:
    """Mark rows whose entries reached the ledger but not the outbox."""
    log.refresh()
    last = AuditEvent.objects.aggregate(m=Max("ledger_index"))["m"]
    start = 0 if last is None else last + 1
    recovered = 0
    now = timezone.now()
    for index, data in enumerate(log.entries(start), start):
        event_id = Event.from_bytes(data).id
        recovered += AuditEvent.objects.filter(event_id=event_id).update(
            ledger_index=index, published_at=now
        )
    return recovered


@transaction.atomic
def publish_pending(*, log: Log, batch: int = BATCH) -> int:
    """Append unpublished events in order; return how many were appended.

    Signs a checkpoint of the new tree when anything was appended.
    """
    # The lock: one publisher at a time, across processes.
    list(
        AuditEvent.objects.select_for_update()
        .filter(ledger_index__isnull=True)
        .order_by("id")
        .values_list("id")[:1]
    )
    _recover(log)
    pending = list(
        AuditEvent.objects.filter(ledger_index__isnull=True).order_by("id")[
            :batch
        ]
    )
    if not pending:
        return 0
    indexes = log.append_many(ledger_event(e).to_bytes() for e in pending)
    now = timezone.now()
    for event, index in zip(pending, indexes, strict=True):
        event.ledger_index = index
        event.published_at = now
    AuditEvent.objects.bulk_update(pending, ["ledger_index", "published_at"])
    log.sign_checkpoint(ledger_signer())
    return len(pending)


def publish_all() -> int:
    """Publish everything waiting, batch by batch."""
    total = 0
    with open_ledger() as log:
        while count := publish_pending(log=log):
            total += count
    return total
