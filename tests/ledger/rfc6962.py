"""An independent reference: RFC 6962 §2.1's recursive definitions, as text.

MTH, PATH and PROOF/SUBPROOF are written exactly as the RFC states them,
slowly and recursively, sharing no code with ``steward.ledger``. The
``*_shape`` functions record which side each proof hash is folded on, so a
test can tell when two (index, size) claims make the very same computation.
"""

from __future__ import annotations

from hashlib import sha256


def k_for(n: int) -> int:
    """The largest power of two strictly less than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return sha256(b"").digest()
    if n == 1:
        return sha256(b"\x00" + d[0]).digest()
    k = k_for(n)
    return sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


def path(m: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = k_for(n)
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    return subproof(m, d, True)


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = k_for(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def path_shape(m: int, n: int) -> list[str]:
    """For each PATH hash: is it the right or the left sibling?"""
    if n == 1:
        return []
    k = k_for(n)
    if m < k:
        return path_shape(m, k) + ["right"]
    return path_shape(m - k, n - k) + ["left"]


def proof_shape(m: int, n: int, b: bool = True) -> list[str]:
    """For each PROOF hash, its role in rebuilding the old and new roots."""
    if m == n:
        return [] if b else ["old-subtree"]
    k = k_for(n)
    if m <= k:
        return proof_shape(m, k, b) + ["right-new-only"]
    return proof_shape(m - k, n - k, False) + ["left-both"]
