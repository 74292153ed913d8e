"""Group commit: many threads' single appends, one durable commit.

A durable commit costs an fsync, and a disk manages a few thousand of
those a second, so one caller appending entries one by one can go no
faster than that. ``GroupCommit`` lets many callers (threads) append
single entries through one ``Log`` handle: while one transaction is being
committed, the entries that arrive meanwhile wait in a queue, and the next
transaction takes all of them at once. Every caller still gets its entry's
index back only after the transaction holding it has committed durably,
exactly as ``Log.append`` promises; only the number of fsyncs changes.

There is no background thread. The first caller to find no commit under
way leads: it commits the queue (its own entry included) and then hands
the lead to the first caller still waiting, who commits the next batch.
"""

from __future__ import annotations

import threading

from steward.ledger._errors import LedgerError
from steward.ledger.log import MAX_ENTRY_BYTES, Log

__all__ = ["GroupCommit"]


class _Waiter:
    __slots__ = ("entry", "woken", "leads", "index", "error")

    def __init__(self, entry: bytes) -> None:
        self.entry = entry
        self.woken = threading.Event()
        self.leads = False
        self.index: int | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """Thread-safe single appends to ``log``, committed in groups.

    Give it a ``Log`` handle of its own: no other code may use that handle
    while the ``GroupCommit`` does. Other handles and processes may append
    to the same log meanwhile; they take turns as usual.
    """

    def __init__(self, log: Log, max_batch: int = 10_000) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.log = log
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Waiter] = []
        self._busy = False
        self.commits = 0
        """Transactions committed so far (for measuring the grouping)."""

    def append(self, entry: bytes) -> int:
        """Append one entry; return its index once it is durable.

        If the transaction holding it fails, every caller in that group
        gets the error and none of their entries is acknowledged.
        """
        if len(entry) > MAX_ENTRY_BYTES:
            raise LedgerError(f"an entry is at most {MAX_ENTRY_BYTES} bytes")
        me = _Waiter(bytes(entry))
        with self._lock:
            self._queue.append(me)
            if not self._busy:
                self._busy = me.leads = True
        if not me.leads:
            me.woken.wait()  # with a result, or to lead the next group
        if me.index is None and me.error is None:
            self._lead(me)
        if me.error is not None:
            raise me.error
        assert me.index is not None
        return me.index

    def _lead(self, me: _Waiter) -> None:
        with self._lock:
            batch = self._queue[:self._max_batch]
            del self._queue[:self._max_batch]
        try:
            indexes = self.log.append_many([w.entry for w in batch])
        except BaseException as exc:  # noqa: BLE001 - handed to each caller
            for waiter in batch:
                waiter.error = exc
        else:
            self.commits += 1
            for waiter, index in zip(batch, indexes, strict=True):
                waiter.index = index
        with self._lock:
            if self._queue:
                successor: _Waiter | None = self._queue[0]
                successor.leads = True  # type: ignore[union-attr]
            else:
                successor = None
                self._busy = False
        for waiter in batch:
            if waiter is not me:
                waiter.woken.set()
        if successor is not None:
            successor.woken.set()
