"""``Log``: an append-only, verifiable log kept in SQLite or PostgreSQL.

The handle keeps the tree's compact range in memory, so an append hashes
O(log n) nodes and the root is always current. Proofs and past roots are
read from the stored subtree hashes in O(log n) lookups, made in one query.

The hash of a complete subtree never changes, so the upper ones (level
``UPPER`` and above: one per 256 entries, a few megabytes at ten million
entries) are kept in memory once read, shared by every handle on the same
log in the process, and so are the lower ones read most recently (those
along the tree's right edge, which proofs at the current size share). A
proof then reads only its leaf's neighbourhood from storage.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from hashlib import sha256
from types import TracebackType

from steward.ledger._compact import (
    CompactRange,
    NodeKey,
    border_nodes,
    consistency_ranges,
    fold,
    inclusion_ranges,
    proof_hashes,
)
from steward.ledger._errors import LedgerError, StorageError
from steward.ledger._runs import UPPER, StaleSize
from steward.ledger._storage import Store, open_store
from steward.ledger.bundle import write_bundle
from steward.ledger.checkpoint import Checkpoint, CheckpointSigner
from steward.ledger.note import NoteSigner, SignedNote

__all__ = ["MAX_ENTRY_BYTES", "Log"]

MAX_ENTRY_BYTES = 0xFFFF
"""Entries are at most this long (tlog-tiles' 16-bit length prefix)."""

CACHED_NODES = 1 << 17
"""The most upper subtree hashes kept in memory per log (about 20 MB);
past it the cache starts afresh. Ten million entries have about 78,000."""

RECENT_NODES = 1 << 12
"""The most lower subtree hashes kept per log, as read most recently: the
subtrees along the tree's right edge, which every proof at the current
size needs, stay cached; a random leaf's neighbours seldom come again."""

# Upper subtree hashes by log: (location, schema, origin) -> the log's
# first leaf hash (to notice a log replaced by another at the same
# location) and the hashes read so far. Only complete subtrees are ever
# stored, and a complete subtree's hash never changes.
_NODE_CACHES: dict[
    tuple[str, str | None, str],
    tuple[bytes, dict[NodeKey, bytes], dict[NodeKey, bytes]],
] = {}


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
        self._cache: dict[NodeKey, bytes] = {}
        self._recent: dict[NodeKey, bytes] = {}
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
            shared = (first_leaf, self._cache, self._recent)
            _NODE_CACHES[self._cache_key] = shared
        self._cache, self._recent = shared[1], shared[2]

    def append(self, entry: bytes) -> int:
        """Append one entry durably; return its index."""
        return self.append_many([entry]).start

    def append_many(self, entries: Iterable[bytes]) -> range:
        """Append entries in one durable transaction; return their indexes.

        All or none: after a crash either every entry is there or none is.
        """
        batch = list(entries)
        if max(map(len, batch), default=0) > MAX_ENTRY_BYTES:
            raise LedgerError(f"an entry is at most {MAX_ENTRY_BYTES} bytes")
        if not batch:
            return range(self.size, self.size)
        leaves = [sha256(b"\x00" + entry).digest() for entry in batch]
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
            return range(start, compact.size)

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
        found = self._fetch(keys)
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
        return proof_hashes(ranges, self._fetch)

    def _fetch(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        cache, recent = self._cache, self._recent
        found: dict[NodeKey, bytes] = {}
        wanted = set()
        for key in keys:
            digest = cache.get(key) or recent.get(key)
            if digest is None:
                wanted.add(key)
            else:
                found[key] = digest
        if not wanted:
            return found
        read = self._store.nodes(wanted)
        if len(read) != len(wanted):
            missing = sorted(wanted - set(read))[:3]
            raise StorageError(f"the log's storage lacks subtrees {missing}")
        upper = {key: digest for key, digest in read.items()
                 if key[0] >= UPPER}
        if upper:
            if len(cache) + len(upper) > CACHED_NODES:
                cache.clear()
            cache.update(upper)
        if len(upper) < len(read):
            if len(recent) + len(read) > RECENT_NODES:
                recent.clear()
            recent.update({key: digest for key, digest in read.items()
                           if key[0] < UPPER})
        found.update(read)
        return found


def _stop(log: Log, stop: int | None) -> int:
    return log.size if stop is None else min(stop, log.size)
