"""The exceptions ``steward.ledger`` raises; see the package docstring."""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of every error this package raises on purpose."""


class EventError(LedgerError, ValueError):
    """An event is malformed, non-canonical or too large."""


class NoteError(LedgerError, ValueError):
    """A signed note or a key cannot be parsed, or no known key signs it."""


class CheckpointError(NoteError):
    """A note's body is not a well-formed ``tlog-checkpoint``."""


class InconsistentCheckpointError(LedgerError):
    """A checkpoint does not extend the one seen or signed before it.

    Raised by the signer before it would sign a fork and by the witness when
    it is shown one: the same size with another root, or a larger tree that
    does not contain the smaller as a prefix.
    """


class StorageError(LedgerError):
    """The log's database is unusable: a bad URL, schema or origin."""


class BundleError(LedgerError):
    """A bundle cannot be read: missing file, bad zip, malformed member."""


class VerificationError(LedgerError):
    """A bundle was read but does not verify.

    ``index`` is the first bad entry (``None`` when the fault is not in an
    entry, for instance a bad signature) and ``reason`` says why.
    """

    def __init__(self, reason: str, index: int | None = None) -> None:
        where = f"entry {index}: " if index is not None else ""
        super().__init__(f"{where}{reason}")
        self.reason = reason
        self.index = index
