"""Bundles: a log's entries and signed checkpoint, verifiable offline.

A bundle is one zip file holding four members:

``manifest.json``
    ``{"format": "steward-ledger-bundle", "version": 1, "origin": ...,
    "size": N}``.
``checkpoint``
    The signed checkpoint (a C2SP signed note) for the first N entries.
``entries.jsonl``
    N lines, one per entry in log order:
    ``{"index": i, "entry": "<base64 of the entry's bytes>"}``.
``leaf-hashes.bin``
    N raw 32-byte RFC 6962 leaf hashes, in order.

The leaf hashes are redundant: the entries alone decide whether a bundle
verifies. They let the verifier name the first bad entry. When an entry is
changed, the untouched hashes still fold to the signed root, so the first
entry whose hash differs from its recorded one is the culprit.

``verify_bundle`` checks the checkpoint's signature, that every entry
hashes into the signed root, and, given an older checkpoint, that the older
tree is a prefix of this one. It returns a ``BundleReport``; call
``raise_for_failure()`` on it for a ``VerificationError``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from hashlib import sha256
from typing import IO

from steward.ledger._compact import CompactRange
from steward.ledger._errors import (
    BundleError,
    NoteError,
    VerificationError,
)
from steward.ledger._hashing import HASH_SIZE
from steward.ledger.checkpoint import Checkpoint, open_checkpoint
from steward.ledger.note import NoteVerifier, SignedNote

__all__ = [
    "FORMAT",
    "BundleReport",
    "Progress",
    "verify_bundle",
    "write_bundle",
]

FORMAT = "steward-ledger-bundle"
VERSION = 1
_MEMBERS = ("manifest.json", "checkpoint", "entries.jsonl",
            "leaf-hashes.bin")
_BLOCK = 8192  # entries checked at a time
_READ = 1 << 20  # bytes of entries.jsonl read at a time

Progress = Callable[[int, int], None]
"""Called as ``progress(entries_done, entries_total)`` while verifying."""


def write_bundle(
    path: str | os.PathLike[str], note: str, entries: Iterable[bytes]
) -> int:
    """Write the bundle for the signed checkpoint ``note``.

    ``entries`` must yield at least the checkpoint's size of entries from
    index 0; later ones are left out. Returns the number written.
    """
    checkpoint = Checkpoint.from_body(SignedNote.parse(note).text)
    manifest = {"format": FORMAT, "version": VERSION,
                "origin": checkpoint.origin, "size": checkpoint.size}
    hashes = bytearray()
    written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=1) as bundle:
        bundle.writestr("manifest.json", json.dumps(manifest, indent=2))
        bundle.writestr("checkpoint", note)
        with bundle.open("entries.jsonl", "w", force_zip64=True) as out:
            for data in entries:
                if written == checkpoint.size:
                    break
                hashes += sha256(b"\x00" + data).digest()
                out.write(b'{"index":%d,"entry":"%s"}\n'
                          % (written, base64.b64encode(data)))
                written += 1
        bundle.writestr("leaf-hashes.bin", bytes(hashes),
                        compress_type=zipfile.ZIP_STORED)
    if written != checkpoint.size:
        raise BundleError(f"only {written} entries for a checkpoint of "
                          f"{checkpoint.size}")
    return written


@dataclass(frozen=True)
class BundleReport:
    """What ``verify_bundle`` found. ``first_bad_index`` is ``None`` when
    the fault is not in one entry (a bad signature, for instance)."""

    ok: bool
    origin: str
    size: int
    reason: str = ""
    first_bad_index: int | None = None
    checkpoint: Checkpoint | None = None

    def raise_for_failure(self) -> None:
        if not self.ok:
            raise VerificationError(self.reason, self.first_bad_index)


def verify_bundle(
    path: str | os.PathLike[str],
    key: NoteVerifier | str,
    older: str | bytes | None = None,
    progress: Progress | None = None,
) -> BundleReport:
    """Verify a bundle against the log's verifier key (object or vkey).

    ``older`` is a signed checkpoint seen before (from the same log); the
    bundle must extend it. Raises ``BundleError`` if the bundle cannot be
    read at all; every verification failure is in the report.
    """
    verifier = key if isinstance(key, NoteVerifier) else _verifier(key)
    with _open(path) as bundle:
        origin, size = _manifest(bundle)
        try:
            checkpoint = _check(bundle, verifier, older, origin, size,
                                progress)
        except VerificationError as failure:
            return BundleReport(False, origin, size, failure.reason,
                                failure.index)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            # A member whose bytes no longer match its zip checksum: the
            # file was changed after it was written.
            return BundleReport(False, origin, size,
                                f"the bundle file is damaged: {exc}")
    return BundleReport(True, origin, size, checkpoint=checkpoint)


def _verifier(vkey: str) -> NoteVerifier:
    try:
        return NoteVerifier.from_vkey(vkey)
    except NoteError as exc:
        raise BundleError(f"the verifier key is unusable: {exc}") from exc


def _open(path: str | os.PathLike[str]) -> zipfile.ZipFile:
    try:
        bundle = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BundleError(f"cannot read the bundle {path}: {exc}") from exc
    missing = set(_MEMBERS) - set(bundle.namelist())
    if missing:
        bundle.close()
        raise BundleError(f"the bundle lacks {', '.join(sorted(missing))}")
    return bundle


def _manifest(bundle: zipfile.ZipFile) -> tuple[str, int]:
    try:
        manifest = json.loads(bundle.read("manifest.json"))
    except (ValueError, zipfile.BadZipFile) as exc:
        raise BundleError("the bundle's manifest.json is unreadable") from exc
    if not isinstance(manifest, dict) or (
        manifest.get("format"), manifest.get("version")
    ) != (FORMAT, VERSION):
        raise BundleError(f"not a {FORMAT} version {VERSION} bundle")
    origin, size = manifest.get("origin"), manifest.get("size")
    if not isinstance(origin, str) or not isinstance(size, int):
        raise BundleError("the manifest needs an origin and a size")
    return origin, size


def _check(
    bundle: zipfile.ZipFile,
    verifier: NoteVerifier,
    older: str | bytes | None,
    origin: str,
    size: int,
    progress: Progress | None,
) -> Checkpoint:
    checkpoint = _signed(bundle.read("checkpoint"), verifier, "checkpoint")
    if (checkpoint.origin, checkpoint.size) != (origin, size):
        raise VerificationError("the manifest does not match the checkpoint")
    before = None
    if older is not None:
        before = _signed(older, verifier, "older checkpoint")
        if before.origin != checkpoint.origin:
            raise VerificationError("the older checkpoint is of another log")
        if before.size > checkpoint.size:
            raise VerificationError(
                f"the older checkpoint ({before.size} entries) is larger "
                f"than the bundle's ({checkpoint.size})")
    recorded = _recorded_hashes(bundle, checkpoint)
    with bundle.open("entries.jsonl") as lines:
        _check_entries(lines, checkpoint, before, recorded, progress)
    return checkpoint


def _signed(note: str | bytes, verifier: NoteVerifier,
            what: str) -> Checkpoint:
    try:
        return open_checkpoint(note, verifier)
    except NoteError as exc:
        raise VerificationError(f"{what}: {exc}") from exc


def _recorded_hashes(bundle: zipfile.ZipFile,
                     checkpoint: Checkpoint) -> tuple[bytes, bool]:
    """The recorded leaf hashes, and whether they fold to the signed root
    (then they can be trusted to point at a changed entry)."""
    hashes = bundle.read("leaf-hashes.bin")
    if len(hashes) != HASH_SIZE * checkpoint.size:
        return hashes, False
    compact = CompactRange()
    scratch: list[bytes] = []
    for start in range(0, checkpoint.size, _BLOCK):
        stop = min(checkpoint.size, start + _BLOCK)
        compact.extend(_split(hashes, start, stop), scratch)
        scratch.clear()
    return hashes, compact.root() == checkpoint.root


def _split(hashes: bytes, start: int, stop: int) -> list[bytes]:
    """The recorded leaf hashes of entries ``start`` to ``stop - 1``."""
    return [hashes[at:at + HASH_SIZE]
            for at in range(start * HASH_SIZE, stop * HASH_SIZE, HASH_SIZE)]


def _blocks(member: IO[bytes]) -> Iterator[list[bytes]]:
    """The member's lines (without newlines), a block at a time."""
    rest = b""
    while chunk := member.read(_READ):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for start in range(0, len(lines), _BLOCK):
            yield lines[start:start + _BLOCK]
    if rest:
        yield [rest]


def _check_entries(
    member: IO[bytes],
    checkpoint: Checkpoint,
    before: Checkpoint | None,
    recorded: tuple[bytes, bool],
    progress: Progress | None,
) -> None:
    size = checkpoint.size
    hashes, trusted = recorded
    compact = CompactRange()
    scratch: list[bytes] = []
    disagreement: int | None = None
    position = 0
    for block in _blocks(member):
        extra = position + len(block) > size
        block = block[:size - position]
        try:
            leaves = _leaves(block, position)
        except _BadLine as bad:
            # A changed entry before the bad line is the first fault.
            if disagreement is None:
                _compare(bad.leaves, hashes, position, trusted)
            raise bad.failure from None
        stop = position + len(leaves)
        if disagreement is None:
            disagreement = _compare(leaves, hashes, position, trusted)
        # The older checkpoint is checked where the tree reaches its size.
        if before is not None and position < before.size <= stop:
            cut = before.size - position
            compact.extend(leaves[:cut], scratch)
            _check_prefix(compact, before)
            compact.extend(leaves[cut:], scratch)
        else:
            compact.extend(leaves, scratch)
        scratch.clear()
        position = stop
        if extra:
            raise VerificationError(
                f"an extra entry beyond the checkpoint's {size}", size)
        if progress is not None:
            progress(position, size)
    if position < size:
        raise VerificationError(
            f"missing: the bundle holds {position} entries of {size}",
            position)
    if compact.root() != checkpoint.root:
        # The recorded hashes were altered too, so the first place where
        # they and the entries disagree (if any) is the best pointer there
        # is: the signed root alone cannot say which entry is bad.
        raise VerificationError(
            "the entries do not hash to the signed root, and leaf-hashes.bin "
            "was altered to match, so the bad entry cannot be named",
            disagreement)
    if not trusted:
        raise VerificationError(
            "the entries verify but leaf-hashes.bin was altered",
            disagreement)


class _BadLine(Exception):
    """A malformed or misplaced line, with the leaves of the lines before
    it in its block."""

    def __init__(self, failure: VerificationError,
                 leaves: list[bytes]) -> None:
        self.failure = failure
        self.leaves = leaves


def _leaves(block: list[bytes], position: int) -> list[bytes]:
    try:
        return [sha256(b"\x00" + _entry(line, position + offset)).digest()
                for offset, line in enumerate(block)]
    except VerificationError as failure:
        assert failure.index is not None
        good = block[:failure.index - position]
        raise _BadLine(failure, _leaves(good, position)) from None


def _compare(leaves: list[bytes], hashes: bytes, position: int,
             trusted: bool) -> int | None:
    """The first entry whose hash is not its recorded one, if any; raise
    for it when the recorded hashes are trusted."""
    stop = position + len(leaves)
    if b"".join(leaves) == hashes[position * HASH_SIZE:stop * HASH_SIZE]:
        return None
    for offset, leaf in enumerate(leaves):
        at = (position + offset) * HASH_SIZE
        if leaf != hashes[at:at + HASH_SIZE]:
            break
    if trusted:
        raise VerificationError(
            "the entry does not hash into the signed tree (its bytes were "
            "changed or another entry put in its place)", position + offset)
    return position + offset


def _entry(line: bytes, position: int) -> bytes:
    # Fast path: the exact form write_bundle produces.
    head = b'{"index":%d,"entry":"' % position
    if line.startswith(head) and line.endswith(b'"}'):
        try:
            return binascii.a2b_base64(line[len(head):-2], strict_mode=True)
        except binascii.Error:
            pass
    try:
        record = json.loads(line)
        index, text = record["index"], record["entry"]
        data = base64.b64decode(text, validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise VerificationError("the entry's line is malformed",
                                position) from None
    if index != position or isinstance(index, bool):
        raise VerificationError(
            f"the line claims index {index!r} (an entry was deleted, "
            "inserted or moved)", position)
    return data


def _check_prefix(compact: CompactRange, before: Checkpoint) -> None:
    if compact.root() != before.root:
        raise VerificationError(
            f"the older checkpoint's tree of {before.size} entries is not a "
            "prefix of this log: the log has forked")
