"""The outbox reaches the ledger exactly once, even across a crash
between the append and the mark."""

from __future__ import annotations

import pytest
from django.db import transaction

from steward.audit.models import AuditEvent
from steward.audit.publishing import (
    ledger_event,
    ledger_signer,
    open_ledger,
    publish_pending,
)
from steward.ledger import Event, open_checkpoint, verify_inclusion
from steward.ledger.merkle import leaf_hash
from tests.world import World


@pytest.fixture
def ledger(settings, tmp_path):
    settings.LEDGER_URL = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    settings.LEDGER_KEY_FILE = str(tmp_path / "ledger.key")
    with open_ledger() as log:
        yield log


@pytest.mark.django_db
def test_every_event_is_appended_once_in_order(world: World, ledger) -> None:
    count = AuditEvent.objects.count()
    assert count > 10
    assert publish_pending(log=ledger) == count
    assert publish_pending(log=ledger) == 0
    assert ledger.size == count
    ids = [Event.from_bytes(e).id for e in ledger.entries()]
    assert ids == list(
        AuditEvent.objects.order_by("id").values_list("event_id", flat=True)
    )
    assert not AuditEvent.objects.filter(ledger_index__isnull=True).exists()


@pytest.mark.django_db
def test_a_crash_between_append_and_mark_is_not_duplicated(
    world: World,
    ledger,
) -> None:
    """The run died after appending: the next run marks those rows from
    the ledger's own entries and appends only the rest."""
    events = list(AuditEvent.objects.order_by("id"))
    ledger.append_many(ledger_event(e).to_bytes() for e in events[:5])
    assert publish_pending(log=ledger) == len(events) - 5
    assert ledger.size == len(events)
    marked = dict(AuditEvent.objects.values_list("event_id", "ledger_index"))
    assert [marked[e.event_id] for e in events] == list(range(len(events)))


@pytest.mark.django_db
def test_the_signed_checkpoint_covers_every_event(
    world: World, ledger
) -> None:
    publish_pending(log=ledger)
    note = ledger.signed_checkpoint()
    signer = ledger_signer()
    checkpoint = open_checkpoint(note, signer.verifier)
    assert checkpoint.size == ledger.size
    event = AuditEvent.objects.order_by("id")[3]
    entry = ledger.entry(event.ledger_index)
    proof = ledger.inclusion_proof(event.ledger_index)
    assert verify_inclusion(
        leaf_hash(entry),
        event.ledger_index,
        checkpoint.size,
        proof,
        checkpoint.root,
    )


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_is_published_by_the_task(
    settings, tmp_path
) -> None:
    """Tests run tasks immediately: committing a write publishes it."""
    from tests import world as world_module

    settings.LEDGER_URL = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    settings.LEDGER_KEY_FILE = str(tmp_path / "ledger.key")
    with transaction.atomic():
        world_module.build()
    assert not AuditEvent.objects.filter(ledger_index__isnull=True).exists()
    with open_ledger() as log:
        assert log.size == AuditEvent.objects.count()


@pytest.mark.django_db
def test_the_ledger_holds_no_names(world: World, ledger) -> None:
    publish_pending(log=ledger)
    everything = b"".join(ledger.entries())
    for user in world.everyone().values():
        assert user.full_name.encode() not in everything
        assert user.email.encode() not in everything
