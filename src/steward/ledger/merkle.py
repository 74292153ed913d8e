"""RFC 6962 / RFC 9162 Merkle tree hashes, proofs and their verifiers.

Leaves are raw entry bytes, hashes are 32-byte ``bytes`` and indexes start
at 0. The builders here take the whole list of leaves and suit small trees,
tests and offline checks; ``steward.ledger.Log`` serves the same proofs
from storage in O(log n) reads.

The verifiers follow RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
(consistency) step by step and return ``False``, never raise, on malformed
input. A proof binds a root to a size only when both come from the same
signed checkpoint: always take them together from a verified checkpoint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeGuard

from steward.ledger._compact import (
    CompactRange,
    NodeKey,
    consistency_ranges,
    inclusion_ranges,
    proof_hashes,
)
from steward.ledger._hashing import HASH_SIZE, leaf_hash, node_hash

__all__ = [
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "root",
    "verify_consistency",
    "verify_inclusion",
]


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[0:n]) of the entries ``leaves``."""
    compact = CompactRange()
    for leaf in leaves:
        compact.append(leaf_hash(leaf))
    return compact.root()


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[0:n]): sibling hashes from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} is not in a tree of {len(leaves)}")
    return proof_hashes(inclusion_ranges(index, len(leaves)),
                        lambda keys: _nodes(leaves, keys))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(old_size, D[0:n]): shows D[0:old_size] is a prefix of D[0:n]."""
    if not 0 < old_size <= len(leaves):
        raise ValueError(
            f"old size {old_size} is not within 1..{len(leaves)}"
        )
    return proof_hashes(consistency_ranges(old_size, len(leaves)),
                        lambda keys: _nodes(leaves, keys))


def _nodes(
    leaves: Sequence[bytes], keys: set[NodeKey]
) -> dict[NodeKey, bytes]:
    # Each perfect subtree is hashed from its own leaves: O(n) in all, which
    # is what a list-of-leaves API costs anyway.
    found = {}
    for level, index in keys:
        start = index << level
        compact = CompactRange()
        for leaf in leaves[start:start + (1 << level)]:
            compact.append(leaf_hash(leaf))
        found[(level, index)] = compact.root()
    return found


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _hashes(values: object) -> bool:
    return isinstance(values, (list, tuple)) and all(map(_is_hash, values))


def _natural(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and (
        value >= 0
    )


def verify_inclusion(
    leaf_hash: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    root: bytes,
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` put ``leaf_hash`` at ``index``?"""
    if not (_is_hash(leaf_hash) and _is_hash(root) and _hashes(proof)):
        return False
    if not (_natural(index) and _natural(size)) or index >= size:
        return False
    fn, sn = index, size - 1
    result = leaf_hash
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            fn, sn = _skip_right_edge(fn, sn)
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == root


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of ``old_size`` a prefix of the new?

    Sizes are rejected when the old is 0 or larger than the new; equal sizes
    need an empty proof and equal roots.
    """
    if not _consistency_input_ok(old_size, new_size, old_root, new_root,
                                 proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            fn, sn = _skip_right_edge(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


def _consistency_input_ok(
    old_size: object, new_size: object, old_root: object, new_root: object,
    proof: object,
) -> bool:
    if not (_is_hash(old_root) and _is_hash(new_root) and _hashes(proof)):
        return False
    if not (_natural(old_size) and _natural(new_size)):
        return False
    return 0 < old_size <= new_size


def _skip_right_edge(fn: int, sn: int) -> tuple[int, int]:
    # RFC 9162: "If LSB(fn) is not set, then right-shift both fn and sn
    # equally until either LSB(fn) is set or fn is 0."
    while fn and not fn & 1:
        fn >>= 1
        sn >>= 1
    return fn, sn
