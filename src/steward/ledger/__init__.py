"""``steward.ledger``: a verifiable, append-only log of events.

A plain Python library (no Django): RFC 6962 / RFC 9162 Merkle trees,
C2SP signed checkpoints, durable storage on SQLite or PostgreSQL, bundles
for offline verification and a witness that refuses forks.

Import from here; modules whose names start with ``_`` are private. The
public modules are ``merkle`` (hashing and proofs over lists of leaves),
``note`` and ``checkpoint`` (signed notes), ``event`` (the event schema),
``log`` (storage), ``group`` (group commit: many threads' single appends
in one durable transaction), ``bundle`` (export and offline verification),
``tiles`` (C2SP tlog-tiles static files) and ``witness``.

Exceptions::

    LedgerError                     anything this package raises on purpose
    ├── EventError                  an event is malformed or too large
    ├── NoteError                   a note or key is malformed or unsigned
    │   └── CheckpointError         a note body is not a checkpoint
    ├── InconsistentCheckpointError a checkpoint would fork the log
    ├── StorageError                the database is unusable for the log
    ├── BundleError                 a bundle cannot be read
    └── VerificationError           a bundle does not verify (.index, .reason)

``EventError``, ``NoteError`` and ``CheckpointError`` are also
``ValueError``s. Merkle verifiers never raise: they return ``False``.
"""

from steward.ledger._errors import (
    BundleError,
    CheckpointError,
    EventError,
    InconsistentCheckpointError,
    LedgerError,
    NoteError,
    StorageError,
    VerificationError,
)
from steward.ledger.bundle import BundleReport, verify_bundle, write_bundle
from steward.ledger.checkpoint import (
    Checkpoint,
    CheckpointSigner,
    open_checkpoint,
)
from steward.ledger.event import Event
from steward.ledger.group import GroupCommit
from steward.ledger.log import Log
from steward.ledger.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from steward.ledger.note import NoteSigner, NoteVerifier, open_note, sign_note
from steward.ledger.tiles import write_tiles
from steward.ledger.witness import (
    Witness,
    WitnessVerdict,
    cosign,
    verify_cosignature,
)

__all__ = [
    "BundleError",
    "BundleReport",
    "Checkpoint",
    "CheckpointError",
    "CheckpointSigner",
    "Event",
    "EventError",
    "GroupCommit",
    "InconsistentCheckpointError",
    "LedgerError",
    "Log",
    "NoteError",
    "NoteSigner",
    "NoteVerifier",
    "StorageError",
    "VerificationError",
    "Witness",
    "WitnessVerdict",
    "consistency_proof",
    "cosign",
    "inclusion_proof",
    "leaf_hash",
    "open_checkpoint",
    "open_note",
    "root",
    "sign_note",
    "verify_bundle",
    "verify_consistency",
    "verify_cosignature",
    "verify_inclusion",
    "write_bundle",
    "write_tiles",
]
