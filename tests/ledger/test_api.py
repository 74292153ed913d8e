"""The public API is what ``__all__`` says, and nothing leaks Django."""

from __future__ import annotations

import subprocess
import sys

import steward.ledger
from steward.ledger import merkle


def test_exported_names_are_pinned():
    """Adding or removing a public name is a deliberate change."""
    assert sorted(steward.ledger.__all__) == [
        "BundleError", "BundleReport", "Checkpoint", "CheckpointError",
        "CheckpointSigner", "Event", "EventError", "GroupCommit",
        "InconsistentCheckpointError", "LedgerError", "Log", "NoteError",
        "NoteSigner", "NoteVerifier", "StorageError", "VerificationError",
        "Witness", "WitnessVerdict", "consistency_proof", "cosign",
        "inclusion_proof", "leaf_hash", "open_checkpoint", "open_note",
        "root", "sign_note", "verify_bundle", "verify_consistency",
        "verify_cosignature", "verify_inclusion", "write_bundle",
        "write_tiles",
    ]
    for name in steward.ledger.__all__:
        assert hasattr(steward.ledger, name)


def test_merkle_api_is_pinned():
    """steward.ledger.merkle has exactly the issue's six functions."""
    assert sorted(merkle.__all__) == [
        "consistency_proof", "inclusion_proof", "leaf_hash", "root",
        "verify_consistency", "verify_inclusion",
    ]


def test_every_error_is_a_ledger_error():
    """One base class catches every error the package raises."""
    for name in steward.ledger.__all__:
        value = getattr(steward.ledger, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, steward.ledger.LedgerError)


def test_no_django_import():
    """The library stands alone: importing it does not import Django."""
    code = ("import sys, steward.ledger, steward.ledger.bundle; "
            "print('django' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "False"
