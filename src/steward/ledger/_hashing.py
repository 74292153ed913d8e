"""RFC 6962 / RFC 9162 hashing: SHA-256 with domain-separation prefixes.

The 0x00 leaf prefix and 0x01 node prefix stop an interior node from being
passed off as a leaf (a second-preimage attack on the tree).
"""

from __future__ import annotations

from hashlib import sha256

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()

_LEAF = b"\x00"
_NODE = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """Return SHA-256(0x00 || data), the hash of one log entry."""
    return sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return SHA-256(0x01 || left || right), an interior node's hash."""
    return sha256(_NODE + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two strictly less than ``size`` (``size`` > 1).

    RFC 6962 §2.1 puts this many leaves in a tree's left subtree.
    """
    return 1 << ((size - 1).bit_length() - 1)
