"""The witness accepts growth, refuses forks loudly and co-signs."""

from __future__ import annotations

import base64
import struct

import pytest

from steward.ledger import (
    Checkpoint,
    InconsistentCheckpointError,
    NoteError,
    NoteVerifier,
    Witness,
    cosign,
    merkle,
    open_note,
    verify_cosignature,
)
from steward.ledger.note import COSIGNATURE_V1, key_id

ORIGIN = "ledger.test.example/v1"
LEAVES = [b"%d" % i for i in range(20)]
FORK = LEAVES[:7] + [b"forged"] + LEAVES[8:]


def signed(key, size, leaves=LEAVES):
    return Checkpoint(ORIGIN, size, merkle.root(leaves[:size])).sign(key)


def proof(old, new, leaves=LEAVES):
    return merkle.consistency_proof(leaves[:new], old)


@pytest.fixture
def witness(tmp_path, witness_key):
    return Witness(tmp_path / "state", key=witness_key)


def test_first_checkpoint_is_remembered(witness, log_key):
    """A first checkpoint is trusted on first use and kept per origin."""
    verdict = witness.add(signed(log_key, 5), log_key.verifier)
    assert verdict.previous is None
    assert witness.last(ORIGIN).size == 5


def test_growth_with_proof_is_accepted(witness, log_key):
    """A larger checkpoint with a consistency proof replaces the old."""
    witness.add(signed(log_key, 5), log_key.verifier)
    verdict = witness.add(signed(log_key, 12), log_key.verifier,
                          proof(5, 12))
    assert verdict.previous.size == 5
    assert witness.last(ORIGIN).size == 12


def test_growth_without_proof_is_refused(witness, log_key):
    """Growth must be proved before the witness accepts it."""
    witness.add(signed(log_key, 5), log_key.verifier)
    with pytest.raises(InconsistentCheckpointError, match="proof is needed"):
        witness.add(signed(log_key, 12), log_key.verifier)
    assert witness.last(ORIGIN).size == 5


def test_same_size_other_root_is_a_fork(witness, log_key, tmp_path):
    """Two checkpoints of one size with different roots: FORK."""
    witness.add(signed(log_key, 10), log_key.verifier)
    with pytest.raises(InconsistentCheckpointError, match="FORK.*size 10"):
        witness.add(signed(log_key, 10, FORK), log_key.verifier)
    assert witness.last(ORIGIN).root == merkle.root(LEAVES[:10])
    assert list((tmp_path / "state").glob("*.refused-10-*"))


def test_larger_fork_is_refused(witness, log_key):
    """A larger tree that does not extend the last one: FORK."""
    witness.add(signed(log_key, 5), log_key.verifier)
    witness.add(signed(log_key, 10), log_key.verifier, proof(5, 10))
    with pytest.raises(InconsistentCheckpointError, match="FORK"):
        witness.add(signed(log_key, 15, FORK), log_key.verifier,
                    proof(10, 15, FORK))


def test_smaller_checkpoint_must_be_a_prefix(witness, log_key):
    """A smaller checkpoint is accepted only if proved a prefix."""
    witness.add(signed(log_key, 12), log_key.verifier)
    verdict = witness.add(signed(log_key, 5), log_key.verifier,
                          proof(5, 12))
    assert verdict.checkpoint.size == 5
    assert witness.last(ORIGIN).size == 12
    with pytest.raises(InconsistentCheckpointError, match="not shown"):
        witness.add(signed(log_key, 9, FORK), log_key.verifier,
                    proof(9, 12, FORK))


def test_unsigned_checkpoint_is_refused(witness, log_key, witness_key):
    """A checkpoint not signed by the log's key is refused."""
    with pytest.raises(NoteError):
        witness.add(signed(witness_key, 5), log_key.verifier)


def test_cosignature_format(log_key, witness_key):
    """cosignature/v1: key ID with type 0x04; time || sig on the line."""
    note = cosign(signed(log_key, 3), witness_key, timestamp=1_700_000_000)
    line = note.splitlines()[-1]
    dash, name, blob = line.split(" ")
    raw = base64.b64decode(blob)
    public = witness_key.verifier.public_key
    assert raw[:4] == key_id(witness_key.name, COSIGNATURE_V1, public)
    assert struct.unpack(">Q", raw[4:12]) == (1_700_000_000,)
    assert len(raw) == 4 + 8 + 64
    verifier = NoteVerifier(witness_key.name, public, COSIGNATURE_V1)
    assert verify_cosignature(note, verifier) == 1_700_000_000
    # The log's own signature still verifies beside the cosignature.
    assert open_note(note, log_key.verifier)[0] == signed(log_key, 3)[
        :signed(log_key, 3).index("\n\n") + 1]
    forged = note.replace("\n3\n", "\n4\n")
    with pytest.raises(NoteError):
        verify_cosignature(forged, verifier)


def test_witness_cosigns_what_it_accepts(witness, log_key, witness_key):
    """The verdict's note carries a valid cosignature by the witness."""
    verdict = witness.add(signed(log_key, 5), log_key.verifier)
    verifier = witness_key.as_type(COSIGNATURE_V1).verifier
    assert verify_cosignature(verdict.note, verifier) > 0
