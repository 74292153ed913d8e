"""Compact ranges and the tree arithmetic that proofs are built from.

A tree of ``size`` leaves is the ordered set of perfect subtrees given by
the set bits of ``size``, largest first: its *compact range*. Appending a
leaf pushes its hash and merges equal-sized neighbours, so the root stays
current in O(log n) work and O(log n) memory.

A perfect subtree at ``level`` L and ``index`` i covers leaves
``[i * 2**L, (i + 1) * 2**L)``; once complete its hash never changes, so
storage keeps each one, beside the entry whose append completed it, and any
proof needs only the O(log n) of them that ``inclusion_ranges`` and
``consistency_ranges`` name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from hashlib import sha256

from steward.ledger._hashing import EMPTY_ROOT, node_hash

NodeKey = tuple[int, int]
"""``(level, index)`` of a perfect subtree; level 0 is a leaf."""



def hash_position(leaf: int) -> int:
    """Where leaf ``leaf``'s hashes start in the tree's hash sequence.

    The sequence lists, leaf by leaf, each leaf's hash followed by the
    subtrees its append completed (one per trailing one bit of its index).
    Leaves before ``leaf`` completed ``leaf - popcount(leaf)`` subtrees in
    all, so ``leaf``'s hashes start at ``2 * leaf - popcount(leaf)``.
    """
    return 2 * leaf - leaf.bit_count()


def node_position(key: NodeKey) -> tuple[int, int]:
    """The leaf whose append completed subtree ``key``, and the subtree's
    place in the hash sequence."""
    level, index = key
    last = ((index + 1) << level) - 1
    return last, hash_position(last) + level


class CompactRange:
    """The right border of a growing tree: enough to append and to root."""

    __slots__ = ("size", "hashes")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise ValueError("a compact range has one hash per set bit")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash."""
        index = self.size
        hashes = self.hashes
        while index & 1:
            leaf = node_hash(hashes.pop(), leaf)
            index >>= 1
        hashes.append(leaf)
        self.size += 1

    def extend(self, leaves: Iterable[bytes], out: list[bytes]) -> None:
        """Add many leaf hashes, inlined for speed.

        For each leaf, ``out`` receives its hash and then the hash of each
        perfect subtree it completes, lowest first: the order storage keeps
        them in (see ``hash_position``).
        """
        hashes = self.hashes
        size = self.size
        node = b"\x01"
        keep = out.append
        for leaf in leaves:
            keep(leaf)
            index = size
            while index & 1:
                leaf = sha256(node + hashes.pop() + leaf).digest()
                keep(leaf)
                index >>= 1
            hashes.append(leaf)
            size += 1
        self.size = size

    def root(self) -> bytes:
        """The RFC 6962 root of the tree so far."""
        return fold(self.hashes)

    def copy(self) -> CompactRange:
        return CompactRange(self.size, self.hashes)


def fold(hashes: Sequence[bytes]) -> bytes:
    """Hash perfect subtrees, largest first, into one (right-leaning) root."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def range_nodes(start: int, end: int) -> list[NodeKey]:
    """The perfect subtrees, largest first, whose fold is MTH(D[start:end]).

    Valid for the ranges this module produces: ``start`` is a multiple of
    the largest power of two not above ``end - start``.
    """
    size = end - start
    if size & (size - 1) == 0:  # one perfect subtree: the common case
        level = size.bit_length() - 1
        return [(level, start >> level)]
    keys = []
    position = start
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            keys.append((level, position >> level))
            position += 1 << level
    return keys


def border_nodes(size: int) -> list[NodeKey]:
    """The compact range of a tree of ``size`` leaves, as node keys."""
    return range_nodes(0, size)


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose hashes make PATH(index, D[0:size]), leaf first.

    RFC 6962 §2.1.1's recursion splits at powers of two, so its subtrees
    are the aligned ones of each level, cut short at ``size``: the sibling
    at each level is the aligned range next to the leaf's, if it starts
    within the tree (a leaf's last subtree with no sibling is promoted).
    """
    ranges: list[tuple[int, int]] = []
    keep = ranges.append
    for level in range((size - 1).bit_length()):
        start = ((index >> level) ^ 1) << level
        if start < size:
            end = start + (1 << level)
            keep((start, end if end < size else size))
    return ranges


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """Leaf ranges whose hashes make PROOF(old, D[0:new]), in proof order.

    RFC 6962 §2.1.2's SUBPROOF, unrolled. Requires 0 < old <= new.
    """
    ranges = []
    low, high = 0, new
    whole = True  # SUBPROOF's flag b: is old a complete subtree so far?
    while old != high:
        k = 1 << ((high - low - 1).bit_length() - 1)  # split_point, inline
        if old <= low + k:
            ranges.append((low + k, high))
            high = low + k
        else:
            ranges.append((low, low + k))
            low += k
            whole = False
    if not whole:
        ranges.append((low, high))
    ranges.reverse()
    return ranges


def proof_hashes(
    ranges: Iterable[tuple[int, int]],
    fetch: Callable[[set[NodeKey]], Mapping[NodeKey, bytes]],
) -> list[bytes]:
    """One hash per range, from the perfect subtrees ``fetch`` returns."""
    groups = [range_nodes(start, end) for start, end in ranges]
    found = fetch({key for group in groups for key in group})
    return [fold([found[key] for key in group]) for group in groups]
