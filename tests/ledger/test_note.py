"""C2SP signed notes and checkpoints, keys in Go's note format."""

from __future__ import annotations

import base64
from hashlib import sha256

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
)

from steward.ledger import (
    Checkpoint,
    CheckpointError,
    CheckpointSigner,
    InconsistentCheckpointError,
    NoteError,
    NoteSigner,
    NoteVerifier,
    merkle,
    open_checkpoint,
    open_note,
    sign_note,
)

SEED = bytes(range(32))


def test_key_id_and_vkey_follow_the_spec():
    """Key ID = SHA-256(name || 0x0A || 0x01 || key)[:4]; vkey is
    name+hexid+base64(0x01 || key)."""
    signer = NoteSigner("example.com/log",
                        Ed25519PrivateKey.from_private_bytes(SEED))
    public = signer.verifier.public_key
    expected = sha256(b"example.com/log\n\x01" + public).digest()[:4]
    assert signer.key_id == expected
    assert signer.vkey() == (
        f"example.com/log+{expected.hex()}+"
        + base64.b64encode(b"\x01" + public).decode()
    )
    assert NoteVerifier.from_vkey(signer.vkey()).key_id == expected


def test_skey_round_trips():
    """A signer key written out reads back as the same key."""
    signer = NoteSigner.generate("a.example")
    again = NoteSigner.from_skey(signer.skey())
    assert again.vkey() == signer.vkey()
    assert signer.skey().startswith("PRIVATE+KEY+a.example+")


def test_signature_line_format():
    """The signature line is em dash, name, base64(key ID || sig)."""
    signer = NoteSigner.generate("a.example")
    note = sign_note("hello\n", signer)
    text, line = note.split("\n\n")
    assert text == "hello"
    dash, name, blob = line.rstrip("\n").split(" ")
    assert dash == "\u2014" and name == "a.example"
    raw = base64.b64decode(blob)
    assert raw[:4] == signer.key_id and len(raw) == 68


def test_open_note_ignores_unknown_keys_and_rejects_unsigned():
    """Unknown signers are skipped; no known signature is an error."""
    mine, other = NoteSigner.generate("me"), NoteSigner.generate("other")
    note = sign_note("text\n", other, mine)
    text, good = open_note(note, mine.verifier)
    assert text == "text\n" and [s.name for s in good] == ["me"]
    with pytest.raises(NoteError, match="no known key"):
        open_note(sign_note("text\n", other), mine.verifier)


def test_tampered_note_is_rejected():
    """Changing the text breaks the signature by a known key."""
    signer = NoteSigner.generate("me")
    note = sign_note("text\n", signer).replace("text", "test")
    with pytest.raises(NoteError, match="does not verify"):
        open_note(note, signer.verifier)


@pytest.mark.parametrize("vkey", [
    "nameonly", "a+b", "a+00000000+!!!!", "a+00000000+AQ==",
])
def test_bad_vkeys_are_refused(vkey):
    """Malformed verifier keys raise NoteError."""
    with pytest.raises(NoteError):
        NoteVerifier.from_vkey(vkey)


def test_vkey_with_wrong_id_is_refused():
    """A vkey whose ID does not match its name and key is refused."""
    vkey = NoteSigner.generate("me").vkey()
    name, _, key = vkey.split("+", 2)
    with pytest.raises(NoteError, match="ID"):
        NoteVerifier.from_vkey(f"{name}+00000000+{key}")


def test_checkpoint_body_format():
    """Origin, decimal size, base64 root, extensions, one per line."""
    root = merkle.root([b"a"])
    checkpoint = Checkpoint("log.example/v1", 1, root, ("ext one",))
    body = checkpoint.body()
    assert body == (f"log.example/v1\n1\n{base64.b64encode(root).decode()}"
                    "\next one\n")
    assert Checkpoint.from_body(body) == checkpoint


@pytest.mark.parametrize("body", [
    "log\n01\nAAAA\n", "log\n1\n", "log\n-1\n" + "A" * 43 + "=\n",
    "log\n1\nnot base64\n", "log\n1\n" + "A" * 43 + "=",
])
def test_malformed_checkpoints_are_refused(body):
    """Leading zeros, missing lines and bad roots are refused."""
    with pytest.raises(CheckpointError):
        Checkpoint.from_body(body)


def test_open_checkpoint_checks_signature_and_origin():
    """A signed checkpoint opens; another origin is refused."""
    key = NoteSigner.generate("log.example")
    checkpoint = Checkpoint("log.example/v1", 3, merkle.root([b"a"] * 3))
    note = checkpoint.sign(key)
    assert open_checkpoint(note, key.verifier) == checkpoint
    with pytest.raises(CheckpointError, match="not 'other'"):
        open_checkpoint(note, key.verifier, origin="other")


def test_signer_never_signs_two_inconsistent_checkpoints():
    """The log's signer refuses a checkpoint that forks or shrinks."""
    leaves = [b"%d" % i for i in range(8)]
    signer = CheckpointSigner(NoteSigner.generate("log.example"))
    at = lambda n: Checkpoint("o", n, merkle.root(leaves[:n]))  # noqa: E731
    signer.sign(at(3))
    signer.sign(at(8), merkle.consistency_proof(leaves, 3))
    with pytest.raises(InconsistentCheckpointError, match="smaller"):
        signer.sign(at(5))
    forked = Checkpoint("o", 8, merkle.root(leaves[:7] + [b"x"]))
    with pytest.raises(InconsistentCheckpointError, match="does not extend"):
        signer.sign(forked, [])
    signer.sign(at(8))  # the same tree again is fine
