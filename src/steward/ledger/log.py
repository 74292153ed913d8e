"""``Log``: an append-only, verifiable log kept in SQLite or PostgreSQL.

The handle keeps the tree's compact range in memory, so an append hashes
O(log n) nodes and the root is always current. Proofs and past roots are
read from the stored subtree hashes in O(log n) lookups, made in one query.

The hash of a complete subtree never changes, so the upper ones (level
``UPPER`` and above: one per 128 entries, 2.5 MB at ten million entries)
are kept in memory, shared by every handle on the same log in the
process: read from storage in one query when a proof first needs them,
then extended by this process's own appends as it makes them and by
another query when other processes' appends complete new ones. So are the
lower ones read most recently (those along the tree's right edge, which
proofs at the current size share) and the hashes of the incomplete
subtrees at the right edge that proofs fold from them. A proof then reads
only its leaf's neighbourhood from storage: one query, by the stored
runs' key.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from hashlib import sha256
from types import TracebackType

from steward.ledger._compact import (
    CompactRange,
    NodeKey,
    border_nodes,
    consistency_ranges,
    fold,
    inclusion_ranges,
    range_nodes,
)
from steward.ledger._errors import LedgerError, StorageError
from steward.ledger._hashing import HASH_SIZE
from steward.ledger._runs import UPPER, StaleSize, upper_nodes
from steward.ledger._storage import Store, open_store
from steward.ledger.bundle import write_bundle
from steward.ledger.checkpoint import Checkpoint, CheckpointSigner
from steward.ledger.note import NoteSigner, SignedNote

__all__ = ["MAX_ENTRY_BYTES", "Log"]

MAX_ENTRY_BYTES = 0xFFFF
"""Entries are at most this long (tlog-tiles' 16-bit length prefix)."""

HELD_LEVELS = 16
"""Upper subtrees are held in memory from the level at which a log of its
size has at most ``2**HELD_LEVELS`` of them (level ``UPPER`` up to 16.7
million entries), so at most 2**17 hashes (4 MB) per log; those below
that level are read from storage like the lower ones."""

RECENT_NODES = 1 << 12
"""The most other subtree hashes kept per log, as read most recently: the
subtrees along the tree's right edge, which every proof at the current
size needs, stay cached; a random leaf's neighbours seldom come again."""


class _Upper:
    """One log's upper subtree hashes, each level's from index 0 on.

    ``levels[level]`` holds the hashes of subtrees ``(level, 0)``,
    ``(level, 1)``, ... back to back, for every level from ``floor`` up;
    ``covered`` is the size up to which they are all there. Levels only
    grow (or are dropped whole when the floor rises), so a reader needs no
    lock; extending them takes one.
    """

    __slots__ = ("covered", "floor", "levels", "keep", "lock")

    def __init__(self, keep: bool = True) -> None:
        self.covered = 0
        self.floor = UPPER
        self.levels: dict[int, bytearray] = {}
        self.keep = keep
        self.lock = threading.Lock()

    def get(self, level: int, index: int) -> bytes | None:
        hashes = self.levels.get(level)
        if hashes is not None:
            at = index * HASH_SIZE
            if at + HASH_SIZE <= len(hashes):
                return bytes(hashes[at:at + HASH_SIZE])
        return None

    @staticmethod
    def floor_for(size: int) -> int:
        return max(UPPER, size.bit_length() - HELD_LEVELS)

    def missing(self, size: int) -> bool:
        """Whether leaves ``covered..size`` completed subtrees not held
        (never for a handle behind the size another handle in this process
        has brought them to)."""
        floor = self.floor_for(size)
        return self.keep and size >> floor > self.covered >> floor

    def add(self, start: int, stop: int,
            levels: Mapping[int, bytes]) -> None:
        """Take the hashes (by level, back to back) of the subtrees of
        level ``floor_for(stop)`` and above that leaves ``start`` to
        ``stop - 1`` completed; ignored unless ``start`` is ``covered``."""
        with self.lock:
            if start != self.covered or stop <= start or not self.keep:
                return
            floor = self.floor_for(stop)
            for level in range(self.floor, floor):
                self.levels.pop(level, None)
            self.floor = floor
            if stop >> floor != start >> floor:  # some were completed
                top = stop.bit_length()
                for level in range(floor, top):
                    count = (stop >> level) - (start >> level)
                    if len(levels.get(level, b"")) != count * HASH_SIZE:
                        return  # not all there: leave the levels as they were
                for level in range(floor, top):
                    hashes = levels.get(level)
                    if hashes:
                        self.levels.setdefault(level, bytearray()).extend(
                            hashes)
            self.covered = stop


# In-memory hashes by log: (location, schema, origin) -> the log's first
# leaf hash (to notice a log replaced by another at the same location),
# its upper subtrees, the other subtrees read most recently and the folds
# of incomplete right-edge subtrees. Only complete subtrees are ever
# stored, and a complete subtree's hash never changes.
_NODE_CACHES: dict[
    tuple[str, str | None, str],
    tuple[bytes, _Upper, dict[NodeKey, bytes],
          dict[tuple[int, int], bytes]],
] = {}
# A forked child opens handles of its own (a database connection must not
# cross a fork): let them start afresh, not share a lock another thread of
# the parent may have held at the fork.
os.register_at_fork(after_in_child=_NODE_CACHES.clear)


class Log:
    """One log, opened with ``Log.open(location, origin=...)``.

    A handle holds one database connection: use it from one thread, and
    open one handle per thread or process (or let many threads append
    through one handle with ``steward.ledger.GroupCommit``). Handles on
    the same database take turns to append and never lose or reorder an
    entry.
    """

    def __init__(self, store: Store,
                 cache_key: tuple[str, str | None, str] | None = None
                 ) -> None:
        self._store = store
        self._compact = CompactRange()
        self._cache_key = cache_key
        self._upper = _Upper()
        self._recent: dict[NodeKey, bytes] = {}
        self._folds: dict[tuple[int, int], bytes] = {}
        self.refresh()

    @classmethod
    def open(
        cls,
        location: str | os.PathLike[str],
        *,
        origin: str,
        schema: str | None = None,
    ) -> Log:
        """Open (creating if need be) the log at a SQLite path, a
        ``sqlite:///`` URL or a ``postgresql://`` URL.

        ``origin`` names the log in its checkpoints (such as
        ``ledger.hmrc.example/v1``); a database holds one log, so opening
        it under another origin raises ``StorageError``. On PostgreSQL,
        ``schema`` keeps the tables in a schema of their own.
        """
        return cls(open_store(location, origin, schema),
                   (os.fspath(location), schema, origin))

    @property
    def origin(self) -> str:
        return self._store.origin

    @property
    def size(self) -> int:
        """Entries committed, as of this handle's last append or refresh."""
        return self._compact.size

    def root(self) -> bytes:
        """The root hash at ``size``."""
        return self._compact.root()

    def refresh(self) -> None:
        """Catch up with entries other processes have appended."""
        size = self._store.size()
        if size != self._compact.size:
            keys = border_nodes(size)
            found = self._fetch([*keys, (0, 0)])
            self._compact = CompactRange(size, [found[k] for k in keys])
            self._share_cache(found[(0, 0)])

    def _share_cache(self, first_leaf: bytes) -> None:
        """Use the process's cache for this log, unless it belongs to
        another log that once lived at the same location."""
        if self._cache_key is None:
            return
        shared = _NODE_CACHES.get(self._cache_key)
        if shared is None or shared[0] != first_leaf:
            shared = (first_leaf, self._upper, self._recent, self._folds)
            _NODE_CACHES[self._cache_key] = shared
        _, self._upper, self._recent, self._folds = shared

    def append(self, entry: bytes) -> int:
        """Append one entry durably; return its index."""
        if len(entry) > MAX_ENTRY_BYTES:
            raise LedgerError(f"an entry is at most {MAX_ENTRY_BYTES} bytes")
        return self._append([entry], [sha256(b"\x00" + entry).digest()]
                            ).start

    def append_many(self, entries: Iterable[bytes]) -> range:
        """Append entries in one durable transaction; return their indexes.

        All or none: after a crash either every entry is there or none is.
        """
        batch = list(entries)
        if max(map(len, batch), default=0) > MAX_ENTRY_BYTES:
            raise LedgerError(f"an entry is at most {MAX_ENTRY_BYTES} bytes")
        if not batch:
            return range(self.size, self.size)
        return self._append(batch, [sha256(b"\x00" + entry).digest()
                                    for entry in batch])

    def _append(self, batch: list[bytes], leaves: list[bytes]) -> range:
        while True:
            compact = self._compact.copy()
            hashes: list[bytes] = []
            compact.extend(leaves, hashes)
            try:
                self._store.append(self._compact.size, batch, hashes)
            except StaleSize:
                self.refresh()
                continue
            start = self._compact.size
            self._compact = compact
            if start == 0:  # the log's first leaf is known only now
                self._share_cache(leaves[0])
            if start == self._upper.covered:
                self._keep_upper(start, compact.size, hashes)
            return range(start, compact.size)

    def _keep_upper(self, start: int, stop: int,
                    hashes: Sequence[bytes]) -> None:
        """Add the upper subtrees this handle's append completed to the
        ones held in memory, as storage now has them."""
        if start >> UPPER == stop >> UPPER:  # none completed (most appends)
            self._upper.add(start, stop, {})
            return
        levels: dict[int, list[bytes]] = {}
        floor = self._upper.floor_for(stop)
        for level, _, digest in upper_nodes(start, stop, hashes):
            if level >= floor:
                levels.setdefault(level, []).append(digest)
        self._upper.add(start, stop, {level: b"".join(found)
                                      for level, found in levels.items()})

    def entry(self, index: int) -> bytes:
        for data in self.entries(index, index + 1):
            return data
        raise IndexError(f"entry {index} is not in a log of {self.size}")

    def entries(self, start: int = 0, stop: int | None = None
                ) -> Iterator[bytes]:
        for data, _ in self._store.entries(start, _stop(self, stop)):
            yield data

    def entries_with_hashes(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[bytes, bytes]]:
        """``(entry, leaf hash)`` pairs as stored."""
        return self._store.entries(start, _stop(self, stop))

    def subtree_hashes(self, keys: Iterable[NodeKey]
                       ) -> dict[NodeKey, bytes]:
        """Hashes of complete perfect subtrees, by ``(level, index)``."""
        return self._fetch(keys)

    def root_at(self, size: int) -> bytes:
        """The root the tree had at ``size`` entries."""
        self._check_size(size)
        keys = border_nodes(size)
        found = self._fetch(keys, load=True)
        return fold([found[k] for k in keys])

    def inclusion_proof(self, index: int, size: int | None = None
                        ) -> list[bytes]:
        """Proof that entry ``index`` is in the tree of ``size`` entries."""
        size = self._check_size(self.size if size is None else size)
        if not 0 <= index < size:
            raise IndexError(f"entry {index} is not in a tree of {size}")
        return self._proof(inclusion_ranges(index, size))

    def consistency_proof(self, old_size: int, new_size: int | None = None
                          ) -> list[bytes]:
        """Proof that the tree of ``old_size`` is a prefix of ``new_size``."""
        new_size = self._check_size(self.size if new_size is None
                                    else new_size)
        if not 0 < old_size <= new_size:
            raise ValueError(f"old size {old_size} is not within "
                             f"1..{new_size}")
        return self._proof(consistency_ranges(old_size, new_size))

    def checkpoint(self, extensions: Sequence[str] = ()) -> Checkpoint:
        """The unsigned checkpoint of the log as this handle sees it."""
        return Checkpoint(self.origin, self.size, self.root(),
                          tuple(extensions))

    def signed_checkpoint(self) -> str | None:
        """The largest checkpoint this log has signed, as a note."""
        return self._store.last_checkpoint()

    def sign_checkpoint(self, key: NoteSigner,
                        extensions: Sequence[str] = ()) -> str:
        """Sign and keep a checkpoint of the current tree.

        Refuses (``InconsistentCheckpointError``) unless the tree extends
        the last checkpoint the log signed; the check uses a consistency
        proof read from storage, as an outside verifier would.
        """
        self.refresh()
        new = self.checkpoint(extensions)
        last = self._last_signed()
        proof: list[bytes] = []
        if last is not None and 0 < last.size < new.size:
            proof = self.consistency_proof(last.size, new.size)
        note = CheckpointSigner(key, last).sign(new, proof)
        self._store.save_checkpoint(new.size, note)
        return note

    def _last_signed(self) -> Checkpoint | None:
        note = self._store.last_checkpoint()
        if note is None:
            return None
        # Stored by this log itself, so only parsed, not verified again.
        return Checkpoint.from_body(SignedNote.parse(note).text)

    def export_bundle(self, path: str | os.PathLike[str],
                      note: str | None = None) -> int:
        """Write a bundle of the entries under ``note`` (by default the
        last checkpoint the log signed); return how many entries."""
        note = note if note is not None else self.signed_checkpoint()
        if note is None:
            raise LedgerError("sign a checkpoint before exporting a bundle")
        return write_bundle(path, note, self.entries())

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Log:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _check_size(self, size: int) -> int:
        if size > self.size:
            self.refresh()
        if not 0 <= size <= self.size:
            raise ValueError(f"size {size} is beyond the log's {self.size}")
        return size

    def _proof(self, ranges: list[tuple[int, int]]) -> list[bytes]:
        """One hash per leaf range: a perfect subtree's, or the fold of
        the perfect subtrees an incomplete right-edge range splits into
        (kept, as the same few recur in every proof at one size)."""
        # The hot path of every proof, so _held() is written out here.
        levels, recent, folds = self._upper.levels, self._recent, self._folds
        proof: list[bytes] = []
        # (place in the proof, range if a fold, the subtrees it needs)
        todo: list[tuple[int, tuple[int, int] | None, list[NodeKey]]] = []
        for start, end in ranges:
            width = end - start
            if width & (width - 1):
                digest = folds.get((start, end))
                if digest is None:
                    todo.append((len(proof), (start, end),
                                 range_nodes(start, end)))
                    digest = b""
            else:
                level = width.bit_length() - 1
                index = start >> level
                hashes = levels.get(level) if level >= UPPER else None
                at = index * HASH_SIZE
                if hashes is not None and at + HASH_SIZE <= len(hashes):
                    digest = bytes(hashes[at:at + HASH_SIZE])
                else:
                    digest = recent.get((level, index)) or b""
                    if not digest:
                        todo.append((len(proof), None, [(level, index)]))
            proof.append(digest)
        if todo:
            found = self._fetch([key for _, _, keys in todo for key in keys],
                                load=True)
            for at, span, keys in todo:
                if span is None:
                    proof[at] = found[keys[0]]
                else:
                    proof[at] = fold([found[key] for key in keys])
                    if len(folds) >= RECENT_NODES:
                        folds.clear()
                    folds[span] = proof[at]
        return proof

    def _held(self, key: NodeKey) -> bytes | None:
        """A subtree's hash if it is in memory."""
        if key[0] >= UPPER:
            digest = self._upper.get(*key)
            if digest is not None:
                return digest
        return self._recent.get(key)

    def _fetch(self, keys: Iterable[NodeKey], load: bool = False
               ) -> dict[NodeKey, bytes]:
        """Subtree hashes from memory or else storage; ``load``: read the
        upper subtrees not yet held first, if any are wanted (for proofs,
        not for a mere refresh)."""
        found: dict[NodeKey, bytes] = {}
        wanted = set()
        for key in keys:
            digest = self._held(key)
            if digest is None:
                wanted.add(key)
            else:
                found[key] = digest
        if wanted:
            found.update(self._read(wanted, load))
        return found

    def _read(self, wanted: set[NodeKey], load: bool
              ) -> dict[NodeKey, bytes]:
        """Subtree hashes not in memory: from storage, in one query (and
        first, given ``load``, the upper ones not yet held, if any)."""
        found: dict[NodeKey, bytes] = {}
        upper = self._upper
        if (load and upper.missing(self.size)
                and any(key[0] >= upper.floor for key in wanted)):
            self._load_upper()
            for key in [key for key in wanted if key[0] >= UPPER]:
                digest = upper.get(*key)
                if digest is not None:
                    found[key] = digest
                    wanted.discard(key)
            if not wanted:
                return found
        read = self._store.nodes(wanted)
        if len(read) != len(wanted):
            missing = sorted(wanted - set(read))[:3]
            raise StorageError(f"the log's storage lacks subtrees {missing}")
        recent = self._recent
        if len(recent) + len(read) > RECENT_NODES:
            recent.clear()
        recent.update(read)
        found.update(read)
        return found

    def _load_upper(self) -> None:
        """Read the upper subtrees completed since those held, in one
        query (all of them, the first time)."""
        upper, size = self._upper, self.size
        start = upper.covered
        upper.add(start, size, self._store.upper_levels(
            start, size, upper.floor_for(size)))


def _stop(log: Log, stop: int | None) -> int:
    return log.size if stop is None else min(stop, log.size)
