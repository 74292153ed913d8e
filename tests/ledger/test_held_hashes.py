"""Proofs from the subtree hashes a handle holds in memory stay exact.

A handle keeps the upper subtree hashes (level 8 and above) in memory,
extends them with its own appends and reads those other writers completed;
it also keeps recently read lower ones and the folds of the right edge.
Every proof must still equal the reference, whoever appended what.
"""

from __future__ import annotations

import random

import pytest

from steward.ledger import Log, _runs, merkle
from steward.ledger import log as log_module


def entries(count: int, start: int = 0) -> list[bytes]:
    return [b"held %d" % i for i in range(start, start + count)]


def unshared(open_log) -> Log:
    """Another handle on the log that shares no memory with the others,
    as a handle in another process would."""
    log = open_log()
    log._cache_key = None
    log._upper, log._recent, log._folds = type(log._upper)(), {}, {}
    return log


def check_proofs(log: Log, data: list[bytes], chance: random.Random,
                 count: int = 12) -> None:
    """Random proofs at random sizes (and at the current one) equal the
    reference computed from the entries themselves."""
    size = log.size
    sizes = {size, *(chance.randint(1, size) for _ in range(3))}
    for at in sorted(sizes):
        leaves = data[:at]
        assert log.root_at(at) == merkle.root(leaves)
        for _ in range(count):
            index = chance.randrange(at)
            assert log.inclusion_proof(index, at) == merkle.inclusion_proof(
                leaves, index)
            old = chance.randint(1, at)
            assert log.consistency_proof(old, at) == (
                merkle.consistency_proof(leaves, old))


@pytest.fixture(autouse=True)
def fresh_process_memory():
    """Each test starts as a new process would, with nothing held."""
    log_module._NODE_CACHES.clear()
    yield
    log_module._NODE_CACHES.clear()


def test_upper_levels_are_read_once_and_serve_exact_proofs(open_log):
    """A handle on an existing log reads the upper subtrees in one go on
    its first proof, then serves every proof exactly."""
    writer = open_log()
    data = entries(3000)
    writer.append_many(data[:1500])
    for entry in data[1500:1530]:
        writer.append(entry)
    writer.append_many(data[1530:])
    log_module._NODE_CACHES.clear()
    reader = open_log()
    assert reader._upper.covered == 0  # opening reads none
    check_proofs(reader, data, random.Random(1))
    assert reader._upper.covered == 3000
    assert set(reader._upper.levels) == {8, 9, 10, 11}
    assert len(reader._upper.levels[8]) == (3000 >> 8) * 32


def test_own_appends_extend_the_upper_levels_without_reading(open_log):
    """Subtrees completed by the handle's own appends are added as it
    commits them; no read of the upper levels is needed."""
    log = open_log()
    reads = []
    store = log._store
    original = store.upper_levels

    def counted(*args):
        reads.append(args)
        return original(*args)

    store.upper_levels = counted
    data = entries(1400)
    chance = random.Random(2)
    log.append_many(data[:250])
    for entry in data[250:270]:  # singles across a multiple of 256
        log.append(entry)
    check_proofs(log, data[:270], chance)
    log.append_many(data[270:1100])
    for entry in data[1100:1400]:
        log.append(entry)
    assert log._upper.covered == 1400
    check_proofs(log, data, chance)
    assert reads == []


def test_proofs_follow_another_writer(open_log):
    """Entries another process appends after a handle read the upper
    levels: the handle reads only the new ones, and its proofs at every
    size, old and new, stay exact."""
    reader = open_log()
    data = entries(5000)
    reader.append_many(data[:700])
    chance = random.Random(3)
    check_proofs(reader, data[:700], chance)
    writer = unshared(open_log)
    stop = 700
    for batch in (1, 300, 1, 1, 1000, 255, 1, 2000):
        writer.append_many(data[stop:stop + batch])
        stop += batch
        reader.refresh()
        assert reader.size == stop
        check_proofs(reader, data[:stop], chance, count=4)
        # Read when a proof lacks one (refresh() reads the border itself).
        assert reader._upper.covered in range(700, stop + 1)
    reader.inclusion_proof(0)
    assert reader._upper.covered == stop
    # The handle appends too, from the size it has caught up with: its
    # own append extends what it holds; everything still agrees.
    reader.append_many(data[stop:stop + 300])
    stop += 300
    assert reader._upper.covered == stop
    writer.refresh()
    check_proofs(writer, data[:stop], chance)
    check_proofs(reader, data[:stop], chance)


def test_a_stale_handle_never_trusts_hashes_it_does_not_hold(open_log):
    """A handle whose memory lags (another process appended) asks storage
    for what it lacks instead of folding what it has."""
    first, data = open_log(), entries(2048)
    first.append_many(data[:1024])
    first.inclusion_proof(5)
    writer = unshared(open_log)
    writer.append_many(data[1024:])
    first.refresh()
    assert first._upper.covered == 1024
    for index in (0, 1023, 1024, 2047):
        assert first.inclusion_proof(index) == merkle.inclusion_proof(
            data, index)
    assert first._upper.covered == 2048


def test_held_levels_move_up_as_the_log_grows(open_log, monkeypatch):
    """Past the size at which a level would hold too many hashes, the
    lower held levels are dropped and read from storage instead."""
    monkeypatch.setattr(log_module, "HELD_LEVELS", 2)
    log = open_log()
    data = entries(5000)
    chance = random.Random(4)
    for stop in (600, 1030, 2100, 4097, 5000):
        log.append_many(data[log.size:stop])
        check_proofs(log, data[:stop], chance, count=6)
        floor = max(8, stop.bit_length() - 2)
        assert log._upper.floor == floor
        assert min(log._upper.levels, default=floor) >= floor
    log_module._NODE_CACHES.clear()
    reader = open_log()
    check_proofs(reader, data, chance)
    assert min(reader._upper.levels) == 11


def test_proofs_with_nothing_held_match(open_log):
    """With no upper levels held (as the benchmark's cold case runs),
    every hash comes from storage and the proofs are the same."""
    log = open_log()
    data = entries(1500)
    log.append_many(data)
    log._upper = type(log._upper)(keep=False)
    chance = random.Random(5)
    for _ in range(20):
        log._recent.clear()
        log._folds.clear()
        index = chance.randrange(1500)
        assert log.inclusion_proof(index) == merkle.inclusion_proof(
            data, index)
    assert log._upper.levels == {}


def test_runs_cut_elsewhere_are_still_found(open_log, monkeypatch):
    """Runs have always been cut at multiples of 256, which lets a proof
    read one range of them; were they cut elsewhere (a log written by
    other code), proofs would fall back to looking each subtree up."""
    log = open_log()
    data = entries(1200)
    monkeypatch.setattr(_runs, "RUN", 100)
    log.append_many(data[:1000])
    for entry in data[1000:1010]:
        log.append(entry)
    log.append_many(data[1010:])
    monkeypatch.undo()
    log_module._NODE_CACHES.clear()
    reader = open_log()
    check_proofs(reader, data, random.Random(6), count=20)


def test_a_handle_behind_another_reads_no_upper_levels(open_log):
    """Two handles in one process share what they hold; the one that has
    not seen the other's appends neither reads the upper levels again on
    every proof nor gets its proofs wrong."""
    first, second = open_log(), open_log()
    data = entries(3000)
    first.append_many(data[:1000])
    second.refresh()
    second.append_many(data[1000:])
    assert second._upper is first._upper
    reads = []
    original = first._store.upper_levels
    first._store.upper_levels = lambda *args: reads.append(args) or (
        original(*args))
    chance = random.Random(7)
    for _ in range(20):
        index = chance.randrange(1000)
        assert first.inclusion_proof(index) == merkle.inclusion_proof(
            data[:1000], index)
    assert first.size == 1000
    assert reads == []
