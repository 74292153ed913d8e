"""A witness: remembers each log's last checkpoint and refuses forks.

State is a directory with one file per log origin holding the last signed
checkpoint the witness accepted. A new checkpoint is accepted only if it
extends that one: same size and same root, or larger with a consistency
proof from the remembered size. Two checkpoints of one size with different
roots, or a tree that does not contain the remembered one as a prefix, are
a fork: the witness raises ``InconsistentCheckpointError`` and keeps the
evidence in a ``.refused-`` file beside the state.

With a key, the witness co-signs what it accepts (C2SP
``tlog-cosignature``, ``cosignature/v1``): it signs
``cosignature/v1\\ntime <unix seconds>\\n`` followed by the checkpoint body,
and the signature line carries key ID || 8-byte big-endian time ||
signature, the key ID being derived with type byte 0x04.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import struct
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from steward.ledger._errors import InconsistentCheckpointError, NoteError
from steward.ledger.checkpoint import (
    Checkpoint,
    check_extends,
    open_checkpoint,
)
from steward.ledger.merkle import verify_consistency
from steward.ledger.note import (
    COSIGNATURE_V1,
    NoteSignature,
    NoteSigner,
    NoteVerifier,
    SignedNote,
)

__all__ = ["Witness", "WitnessVerdict", "cosign", "verify_cosignature"]


def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosign(note: str, key: NoteSigner, timestamp: int | None = None) -> str:
    """Append a ``cosignature/v1`` line by ``key`` to a checkpoint note."""
    when = int(time.time()) if timestamp is None else timestamp
    signer = key.as_type(COSIGNATURE_V1)
    parsed = SignedNote.parse(note)
    raw = signer.sign(_cosigned_message(parsed.text, when)).signature
    line = NoteSignature(signer.name, signer.key_id,
                         struct.pack(">Q", when) + raw)
    return SignedNote(parsed.text, (*parsed.signatures, line)).encode()


def verify_cosignature(note: str, witness: NoteVerifier) -> int:
    """Return the time of ``witness``'s valid cosignature on ``note``.

    ``witness`` is the witness's ``cosignature/v1`` verifier key (type
    0x04). Raises ``NoteError`` if it has not co-signed the note.
    """
    parsed = SignedNote.parse(note)
    for sig in parsed.signatures:
        if (sig.name, sig.key_id) != (witness.name, witness.key_id):
            continue
        if len(sig.signature) != 8 + 64:
            raise NoteError("a cosignature is 8 bytes of time and 64 of "
                            "signature")
        (when,) = struct.unpack(">Q", sig.signature[:8])
        if witness.verify(_cosigned_message(parsed.text, when),
                          sig.signature[8:]):
            return int(when)
        raise NoteError(f"the cosignature by {sig.name} does not verify")
    raise NoteError(f"{witness.name} has not co-signed this checkpoint")


@dataclass(frozen=True)
class WitnessVerdict:
    """What the witness made of a checkpoint it was shown."""

    checkpoint: Checkpoint
    previous: Checkpoint | None
    note: str
    """The checkpoint note, with the witness's cosignature if it has a key."""


class Witness:
    """Keeps per-origin state in ``state_dir``; co-signs with ``key``."""

    def __init__(self, state_dir: str | os.PathLike[str],
                 key: NoteSigner | None = None) -> None:
        self.state_dir = Path(state_dir)
        self.key = key

    def last(self, origin: str) -> Checkpoint | None:
        """The last checkpoint accepted for ``origin``."""
        path = self._path(origin)
        if not path.exists():
            return None
        return Checkpoint.from_body(SignedNote.parse(path.read_text()).text)

    def add(
        self,
        note: str,
        log_key: NoteVerifier,
        proof: Sequence[bytes] = (),
    ) -> WitnessVerdict:
        """Check ``note`` (signed by ``log_key``) against the last one seen
        for its origin; remember and co-sign it if it extends that one.

        ``proof`` is the consistency proof from the remembered size. A
        fork raises ``InconsistentCheckpointError`` naming both trees.
        """
        new = open_checkpoint(note, log_key)
        with self._locked():
            last = self.last(new.origin)
            if last is not None:
                try:
                    _judge(last, new, proof)
                except InconsistentCheckpointError:
                    self._keep_evidence(new, note)
                    raise
            if last is None or new.size > last.size:
                self._save(new.origin, note)
        out = cosign(note, self.key) if self.key is not None else note
        return WitnessVerdict(new, last, out)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # One witness process at a time reads and moves the state on, so
        # two checkpoints shown at once cannot both pass against the same
        # old one.
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _path(self, origin: str) -> Path:
        # Origins are URLs with slashes: name the file by their hash.
        name = hashlib.sha256(origin.encode()).hexdigest()[:32]
        return self.state_dir / f"{name}.checkpoint"

    def _keep_evidence(self, checkpoint: Checkpoint, note: str) -> None:
        path = self._path(checkpoint.origin)
        refused = path.with_suffix(
            f".refused-{checkpoint.size}-{checkpoint.root.hex()[:16]}")
        self._write(refused, note)

    def _save(self, origin: str, note: str) -> None:
        self._write(self._path(origin), note)

    def _write(self, path: Path, note: str) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        # Write, flush to disk and rename, so a crash leaves the old state
        # or the new one, never half of either.
        handle, temporary = tempfile.mkstemp(dir=self.state_dir)
        with os.fdopen(handle, "w") as out:
            out.write(note)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)


def _judge(last: Checkpoint, new: Checkpoint,
           proof: Sequence[bytes]) -> None:
    if new.size == last.size and new.root != last.root:
        raise InconsistentCheckpointError(
            f"FORK: {new.origin} has two checkpoints of size {new.size} "
            f"with different roots ({last.root.hex()[:16]}… seen before, "
            f"{new.root.hex()[:16]}… now)")
    if new.size < last.size:
        if not (new.size == 0 or verify_consistency(
                new.size, last.size, new.root, last.root, proof)):
            raise InconsistentCheckpointError(
                f"FORK or rollback: {new.origin}'s tree of {new.size} is "
                f"not shown to be a prefix of the tree of {last.size} seen "
                "before (give a consistency proof from the smaller)")
        return
    if new.size > last.size and last.size and not proof:
        raise InconsistentCheckpointError(
            f"{new.origin} grew from {last.size} to {new.size}: a "
            "consistency proof is needed before the witness accepts it")
    try:
        check_extends(last, new, proof)
    except InconsistentCheckpointError as exc:
        raise InconsistentCheckpointError(f"FORK: {exc}") from exc
