"""C2SP ``signed-note``: text signed by one or more named Ed25519 keys.

A note is UTF-8 text ending in a newline, a blank line, then signature lines
``— <name> <base64(key ID || signature)>`` (an em dash first). The key ID is
the first 4 bytes of SHA-256(name || 0x0A || type || public key); type 0x01
is an Ed25519 note key and 0x04 an Ed25519 witness cosignature key.

Keys are written as golang.org/x/mod/sumdb/note writes them: verifier keys
``name+hexkeyid+base64(type || public key)`` and signer keys
``PRIVATE+KEY+name+hexkeyid+base64(type || seed)``.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from hashlib import sha256

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from steward.ledger._errors import NoteError

__all__ = [
    "ED25519",
    "COSIGNATURE_V1",
    "NoteSigner",
    "NoteSignature",
    "NoteVerifier",
    "SignedNote",
    "key_id",
    "open_note",
    "sign_note",
]

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"
_NAME = re.compile(r"[^\s+]+")
_RAW = serialization.Encoding.Raw


def key_id(name: str, key_type: int, public_key: bytes) -> bytes:
    """The 4-byte ID of the ``key_type`` key ``public_key`` named ``name``."""
    material = name.encode() + b"\n" + bytes([key_type]) + public_key
    return sha256(material).digest()[:4]


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise NoteError(
            f"key name {name!r} must be non-empty, with no spaces or '+'"
        )
    return name


def _b64decode(text: str, what: str) -> bytes:
    try:
        value = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"{what} is not valid base64") from exc
    if base64.b64encode(value).decode() != text:
        raise NoteError(f"{what} is not canonical base64")
    return value


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(_RAW, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: the signer's name, key ID and signature bytes."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        blob = base64.b64encode(self.key_id + self.signature).decode()
        return f"{DASH} {self.name} {blob}\n"


class NoteVerifier:
    """A public key that checks signatures: parse one with ``from_vkey``."""

    def __init__(
        self, name: str, public_key: bytes, key_type: int = ED25519
    ) -> None:
        self.name = _check_name(name)
        self.key_type = key_type
        self.public_key = public_key
        self.key_id = key_id(name, key_type, public_key)
        try:
            self._key = Ed25519PublicKey.from_public_bytes(public_key)
        except ValueError as exc:
            raise NoteError("an Ed25519 public key is 32 bytes") from exc

    @classmethod
    def from_vkey(cls, vkey: str) -> NoteVerifier:
        """Parse ``name+hexkeyid+base64(type || public key)``."""
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("a verifier key is name+keyid+key")
        name, hex_id, blob = parts
        key = _b64decode(blob, "the verifier key")
        if len(key) != 33 or key[0] not in (ED25519, COSIGNATURE_V1):
            raise NoteError("the verifier key is not an Ed25519 key")
        verifier = cls(name, key[1:], key[0])
        if verifier.key_id.hex() != hex_id:
            raise NoteError(
                "the verifier key's ID does not match its name and key"
            )
        return verifier

    def vkey(self) -> str:
        blob = base64.b64encode(bytes([self.key_type]) + self.public_key)
        return f"{self.name}+{self.key_id.hex()}+{blob.decode()}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


class NoteSigner:
    """An Ed25519 private key with a name: make one with ``generate``."""

    def __init__(
        self,
        name: str,
        private_key: Ed25519PrivateKey,
        key_type: int = ED25519,
    ) -> None:
        self.name = _check_name(name)
        self.key_type = key_type
        self._key = private_key
        self.verifier = NoteVerifier(
            name, _public_bytes(private_key.public_key()), key_type
        )
        self.key_id = self.verifier.key_id

    @classmethod
    def generate(cls, name: str, key_type: int = ED25519) -> NoteSigner:
        return cls(name, Ed25519PrivateKey.generate(), key_type)

    @classmethod
    def from_skey(cls, skey: str) -> NoteSigner:
        """Parse ``PRIVATE+KEY+name+hexkeyid+base64(type || seed)``."""
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a signer key is PRIVATE+KEY+name+keyid+key")
        name, hex_id, blob = parts[2:]
        key = _b64decode(blob, "the signer key")
        if len(key) != 33 or key[0] not in (ED25519, COSIGNATURE_V1):
            raise NoteError("the signer key is not an Ed25519 key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(key[1:]),
                     key[0])
        if signer.key_id.hex() != hex_id:
            raise NoteError("the signer key's ID does not match its key")
        return signer

    def as_type(self, key_type: int) -> NoteSigner:
        """The same key used for another signature type (its own key ID)."""
        return NoteSigner(self.name, self._key, key_type)

    def skey(self) -> str:
        seed = self._key.private_bytes(
            _RAW, serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        blob = base64.b64encode(bytes([self.key_type]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{blob}"

    def vkey(self) -> str:
        return self.verifier.vkey()

    def sign(self, message: bytes) -> NoteSignature:
        return NoteSignature(self.name, self.key_id, self._key.sign(message))


@dataclass(frozen=True)
class SignedNote:
    """A parsed note: its text and every signature line, verified or not."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def encode(self) -> str:
        lines = "".join(sig.line() for sig in self.signatures)
        return f"{self.text}\n{lines}"

    @classmethod
    def parse(cls, note: str | bytes) -> SignedNote:
        """Split a note into text and signature lines (nothing verified)."""
        if isinstance(note, bytes):
            try:
                note = note.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise NoteError("a note must be UTF-8") from exc
        split = note.rfind("\n\n")
        if split < 0 or not note.endswith("\n"):
            raise NoteError("a note needs its text, a blank line and "
                            "signature lines")
        text, lines = note[:split + 1], note[split + 2:]
        signatures = [_parse_line(line) for line in lines[:-1].split("\n")]
        return cls(text, tuple(signatures))


def _parse_line(line: str) -> NoteSignature:
    parts = line.split(" ")
    if len(parts) != 3 or parts[0] != DASH:
        raise NoteError(f"malformed signature line {line!r}")
    blob = _b64decode(parts[2], "a signature")
    if len(blob) < 5:
        raise NoteError("a signature is too short to hold a key ID")
    return NoteSignature(_check_name(parts[1]), blob[:4], blob[4:])


def sign_note(text: str, *signers: NoteSigner) -> str:
    """Sign ``text`` (which must end in a newline) with every signer."""
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("note text must end in one newline, with no blank "
                        "line inside")
    message = text.encode("utf-8")
    return SignedNote(text, tuple(s.sign(message) for s in signers)).encode()


def open_note(
    note: str | bytes, *verifiers: NoteVerifier
) -> tuple[str, list[NoteSignature]]:
    """Return the note's text and the signatures known keys verified.

    Signatures by unknown keys are ignored; a bad signature by a known key,
    or a note that no known key signs, raises ``NoteError``.
    """
    parsed = SignedNote.parse(note)
    known = {(v.name, v.key_id): v for v in verifiers
             if v.key_type == ED25519}
    message = parsed.text.encode("utf-8")
    good = []
    for sig in parsed.signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if not verifier.verify(message, sig.signature):
            raise NoteError(f"the signature by {sig.name} does not verify")
        good.append(sig)
    if not good:
        raise NoteError("no known key signed this note")
    return parsed.text, good
