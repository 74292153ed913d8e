"""C2SP ``tlog-checkpoint``: a log's signed statement of its size and root.

The body is the origin line, the size in decimal, the base64 root hash and
any extension lines, each ending in a newline; it travels as a signed note.
``CheckpointSigner`` is the log's signing key with a memory: it refuses to
sign a checkpoint that does not extend the last one it signed, so the log
cannot present two inconsistent views of itself.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from steward.ledger._errors import CheckpointError, InconsistentCheckpointError
from steward.ledger._hashing import HASH_SIZE
from steward.ledger.merkle import verify_consistency
from steward.ledger.note import (
    NoteSigner,
    NoteVerifier,
    open_note,
    sign_note,
)

__all__ = [
    "Checkpoint",
    "CheckpointSigner",
    "check_extends",
    "open_checkpoint",
]

_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")


@dataclass(frozen=True)
class Checkpoint:
    """A log's origin, size and root hash, with optional extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise CheckpointError("a checkpoint needs a one-line origin")
        if self.size < 0 or len(self.root) != HASH_SIZE:
            raise CheckpointError("a checkpoint needs a size and a 32-byte "
                                  "root")
        if any(not line or "\n" in line for line in self.extensions):
            raise CheckpointError("extension lines must be non-empty lines")

    def body(self) -> str:
        root = base64.b64encode(self.root).decode()
        lines = [self.origin, str(self.size), root, *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def from_body(cls, text: str) -> Checkpoint:
        if not text.endswith("\n"):
            raise CheckpointError("a checkpoint body ends in a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointError("a checkpoint has origin, size and root "
                                  "lines")
        origin, size, root = lines[:3]
        if not _SIZE.fullmatch(size):
            raise CheckpointError(f"checkpoint size {size!r} is not decimal")
        try:
            digest = base64.b64decode(root, validate=True)
        except ValueError as exc:
            raise CheckpointError("checkpoint root is not base64") from exc
        if base64.b64encode(digest).decode() != root:
            raise CheckpointError("checkpoint root is not canonical base64")
        return cls(origin, int(size), digest, tuple(lines[3:]))

    def sign(self, signer: NoteSigner) -> str:
        """This checkpoint as a signed note (no consistency check)."""
        return sign_note(self.body(), signer)


def open_checkpoint(
    note: str | bytes, verifier: NoteVerifier, origin: str | None = None
) -> Checkpoint:
    """Verify a signed checkpoint and parse its body.

    Raises ``NoteError`` for a bad or missing signature and
    ``CheckpointError`` for a malformed body or an unexpected origin.
    """
    text, _ = open_note(note, verifier)
    checkpoint = Checkpoint.from_body(text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(
            f"checkpoint is for {checkpoint.origin!r}, not {origin!r}"
        )
    return checkpoint


class CheckpointSigner:
    """Signs checkpoints of one log, each consistent with the one before.

    ``last`` is the last checkpoint this key signed (keep it durably: the
    log stores it beside the entries).
    """

    def __init__(
        self, signer: NoteSigner, last: Checkpoint | None = None
    ) -> None:
        self.signer = signer
        self.last = last

    def sign(self, checkpoint: Checkpoint, proof: Sequence[bytes] = ()) -> str:
        """Sign ``checkpoint`` if ``proof`` shows it extends ``last``."""
        last = self.last
        if last is not None:
            check_extends(last, checkpoint, proof)
        note = checkpoint.sign(self.signer)
        self.last = checkpoint
        return note


def check_extends(
    old: Checkpoint, new: Checkpoint, proof: Sequence[bytes]
) -> None:
    """Raise ``InconsistentCheckpointError`` unless ``new`` extends
    ``old``: same origin, no smaller, and ``proof`` proves the prefix."""
    if new.origin != old.origin:
        raise InconsistentCheckpointError(
            f"origin {new.origin!r} is not the log's {old.origin!r}"
        )
    if new.size < old.size:
        raise InconsistentCheckpointError(
            f"size {new.size} is smaller than the {old.size} already signed"
        )
    if old.size == 0:
        return
    if not verify_consistency(old.size, new.size, old.root, new.root,
                              proof):
        raise InconsistentCheckpointError(
            f"the tree of {new.size} does not extend the tree of {old.size} "
            "already signed"
        )

