"""Group commit: concurrent single appends share durable transactions,
and each caller is answered only once its entry is committed."""

from __future__ import annotations

import threading
import time

import pytest

from steward.ledger import GroupCommit, LedgerError, merkle
from steward.ledger.log import MAX_ENTRY_BYTES


def test_many_threads_each_get_their_own_index(open_log):
    """Eight threads appending 50 entries each: every entry is stored once,
    at the index its caller was given, and the root is the RFC's."""
    log = open_log()
    committer = GroupCommit(log)
    given: dict[bytes, int] = {}
    lock = threading.Lock()

    def appender(thread: int) -> None:
        for number in range(50):
            data = b"t%d n%d" % (thread, number)
            index = committer.append(data)
            with lock:
                given[data] = index

    threads = [threading.Thread(target=appender, args=(t,))
               for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = list(log.entries())
    assert len(stored) == 400
    assert {data: stored.index(data) for data in stored} == given
    assert log.root() == merkle.root(stored)
    assert committer.commits <= 400
    # Another handle sees the same committed log.
    assert open_log().root() == log.root()


def test_callers_arriving_during_a_commit_share_the_next(open_log):
    """While one commit is under way, five callers queue; they are all
    answered by the next single commit, and none is answered before it."""
    log = open_log()
    committer = GroupCommit(log)
    inside, release = threading.Event(), threading.Event()
    real = log.append_many

    def slow_first(entries):
        if not inside.is_set():
            inside.set()
            release.wait(10)
        return real(entries)

    log.append_many = slow_first  # type: ignore[method-assign]
    answers: dict[int, int] = {}

    def appender(number: int) -> None:
        answers[number] = committer.append(b"entry %d" % number)

    first = threading.Thread(target=appender, args=(0,))
    first.start()
    assert inside.wait(10)
    rest = [threading.Thread(target=appender, args=(n,)) for n in range(1, 6)]
    for thread in rest:
        thread.start()
    deadline = time.monotonic() + 10
    while len(committer._queue) < 5 and time.monotonic() < deadline:
        time.sleep(0.001)
    assert len(committer._queue) == 5
    assert answers == {}  # nothing acknowledged before its commit
    release.set()
    for thread in [first, *rest]:
        thread.join(10)
    assert committer.commits == 2
    assert answers[0] == 0
    assert sorted(answers.values()) == list(range(6))
    stored = list(log.entries())
    assert all(stored[index] == b"entry %d" % number
               for number, index in answers.items())


def test_a_failed_commit_fails_every_caller_in_it(open_log):
    """If the transaction fails, each caller in it gets the error and no
    entry is acknowledged; later appends work."""
    log = open_log()
    committer = GroupCommit(log)
    real = log.append_many
    failing = [True]

    def broken(entries):
        if failing[0]:
            raise LedgerError("disk full")
        return real(entries)

    log.append_many = broken  # type: ignore[method-assign]
    with pytest.raises(LedgerError, match="disk full"):
        committer.append(b"lost")
    failing[0] = False
    assert committer.append(b"kept") == 0
    assert list(log.entries()) == [b"kept"]


def test_an_oversized_entry_is_refused_alone(open_log):
    log = open_log()
    committer = GroupCommit(log)
    with pytest.raises(LedgerError, match="at most"):
        committer.append(b"x" * (MAX_ENTRY_BYTES + 1))
    assert committer.append(b"fine") == 0
    with pytest.raises(ValueError):
        GroupCommit(log, max_batch=0)
