"""Reads of the ledger, for the regulator and the central team.

Entries hold ids, digests and counts, never personal data; still, only
the regulator and the central team read the whole ledger, since it spans
every department. A department reads its own trail on the audit page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from steward.audit.publishing import ledger_signer, open_ledger
from steward.common.errors import Forbidden, Invalid, NotFound
from steward.ledger import Checkpoint, Event, Log, open_checkpoint
from steward.ledger.merkle import leaf_hash
from steward.organisations.access import Access
from steward.organisations.models import Role

READERS = (Role.AUDITOR, Role.CENTRAL)
MAX_RANGE = 1000


def _require_reader(access: Access) -> None:
    if not access.has_any(READERS):
        raise Forbidden(
            "Only the regulator and the central team read the ledger"
        )


@dataclass(frozen=True)
class LedgerState:
    origin: str
    size: int
    note: str | None
    checkpoint: Checkpoint | None
    vkey: str


@contextmanager
def _ledger(access: Access) -> Iterator[Log]:
    _require_reader(access)
    with open_ledger() as log:
        yield log


def _signed(log: Log) -> Checkpoint | None:
    note = log.signed_checkpoint()
    if note is None:
        return None
    return open_checkpoint(note, ledger_signer().verifier)


def ledger_state(*, access: Access) -> LedgerState:
    with _ledger(access) as log:
        checkpoint = _signed(log)
        return LedgerState(
            origin=log.origin,
            size=log.size,
            note=log.signed_checkpoint(),
            checkpoint=checkpoint,
            vkey=ledger_signer().vkey(),
        )


def _signed_size(log: Log) -> int:
    checkpoint = _signed(log)
    if checkpoint is None:
        raise NotFound("checkpoint")
    return checkpoint.size


def ledger_entries(
    *, access: Access, start: int, stop: int
) -> list[tuple[int, Event, bytes]]:
    if not 0 <= start <= stop or stop - start > MAX_RANGE:
        raise Invalid(
            {
                "stop": f"Ask for at most {MAX_RANGE} entries, "
                "with stop after start"
            }
        )
    with _ledger(access) as log:
        stop = min(stop, _signed_size(log))
        return (
            [
                (index, Event.from_bytes(data), leaf_hash(data))
                for index, data in enumerate(log.entries(start, stop), start)
            ]
            if start < stop
            else []
        )


def ledger_entry(
    *, access: Access, index: int
) -> tuple[Event, bytes, int, list[bytes]]:
    """The entry, its leaf hash, and its inclusion proof in the last
    signed checkpoint."""
    with _ledger(access) as log:
        size = _signed_size(log)
        if not 0 <= index < size:
            raise NotFound("entry")
        data = log.entry(index)
        return (
            Event.from_bytes(data),
            leaf_hash(data),
            size,
            log.inclusion_proof(index, size),
        )


def ledger_consistency(
    *, access: Access, old_size: int, new_size: int
) -> list[bytes]:
    with _ledger(access) as log:
        size = _signed_size(log)
        if not 0 < old_size <= new_size <= size:
            raise Invalid(
                {
                    "old_size": f"Sizes must satisfy 0 < old_size "
                    f"<= new_size <= {size}"
                }
            )
        return log.consistency_proof(old_size, new_size)
