"""RFC 6962 / 9162 hashing, proofs and verifiers against the reference."""

from __future__ import annotations

from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.ledger import merkle
from tests.ledger import rfc6962

# transparency-dev/merkle's reference tree (testonly/constants.go).
VECTOR_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
VECTOR_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def leaves_of(size: int) -> list[bytes]:
    return [b"entry %d" % i for i in range(size)]


def flip(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def test_empty_tree_root_is_sha256_of_nothing():
    """The empty tree's root is SHA-256 of the empty string."""
    assert merkle.root([]) == sha256(b"").digest()


def test_leaf_and_node_prefixes():
    """Leaves hash with 0x00 in front; a leaf is never an interior node."""
    assert merkle.leaf_hash(b"abc") == sha256(b"\x00abc").digest()
    pair = [b"a", b"b"]
    assert merkle.root(pair) == sha256(
        b"\x01" + merkle.leaf_hash(b"a") + merkle.leaf_hash(b"b")
    ).digest()


@pytest.mark.parametrize("size", range(1, 9))
def test_published_roots(size):
    """Roots agree with transparency-dev/merkle's published test data."""
    assert merkle.root(VECTOR_LEAVES[:size]).hex() == VECTOR_ROOTS[size - 1]


def test_published_inclusion_path():
    """Leaf 0 of 8 has the audit path published in the CT test data."""
    assert [h.hex() for h in merkle.inclusion_proof(VECTOR_LEAVES, 0)] == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]


@pytest.mark.parametrize("size", range(1, 34))
def test_every_proof_matches_the_reference(size):
    """Roots, paths and consistency proofs are byte for byte RFC 6962's."""
    leaves = leaves_of(size)
    assert merkle.root(leaves) == rfc6962.mth(leaves)
    for index in range(size):
        assert merkle.inclusion_proof(leaves, index) == rfc6962.path(
            index, leaves
        )
    for old in range(1, size + 1):
        assert merkle.consistency_proof(leaves, old) == rfc6962.proof(
            old, leaves
        )


def test_proof_size_is_ceil_log2():
    """An inclusion proof has at most ⌈log2 n⌉ hashes, exactly for 2^k."""
    for size in (1, 2, 3, 7, 8, 9, 100, 128):
        leaves = leaves_of(size)
        longest = max(
            len(merkle.inclusion_proof(leaves, i)) for i in range(size)
        )
        assert longest == (size - 1).bit_length()


def test_builders_reject_bad_arguments():
    """Proof builders raise on indexes and sizes outside the tree."""
    with pytest.raises(IndexError):
        merkle.inclusion_proof(leaves_of(3), 3)
    with pytest.raises(ValueError):
        merkle.consistency_proof(leaves_of(3), 0)
    with pytest.raises(ValueError):
        merkle.consistency_proof(leaves_of(3), 4)


H = sha256(b"x").digest()


@pytest.mark.parametrize(
    "args",
    [
        (H[:31], 0, 1, [], H),  # short leaf hash
        (H, 0, 1, [], H + b"\0"),  # long root
        (H, 1, 1, [], H),  # index == size
        (H, 5, 3, [H], H),  # index > size
        (H, -1, 3, [H], H),  # negative index
        (H, 0, 2, [H[:16]], H),  # short proof hash
        (H, 0, 2, "not a list", H),  # proof of the wrong type
        (H, 0, 0, [], H),  # empty tree
    ],
)
def test_verify_inclusion_rejects_malformed_input(args):
    """Malformed input makes verify_inclusion return False, not raise."""
    assert merkle.verify_inclusion(*args) is False


@pytest.mark.parametrize(
    "args",
    [
        (0, 3, H, H, [H]),  # from size 0
        (4, 3, H, H, [H]),  # old larger than new
        (3, 3, H, H, [H]),  # equal sizes, non-empty proof
        (3, 3, H, sha256(b"y").digest(), []),  # equal sizes, other root
        (1, 2, H[:31], H, [H]),  # short old root
        (1, 2, H, H, [H + b"\0"]),  # long proof hash
        (1, 2, H, H, []),  # growth with no proof
        (-1, 2, H, H, [H]),  # negative size
    ],
)
def test_verify_consistency_rejects_malformed_input(args):
    """Malformed input makes verify_consistency return False, not raise."""
    assert merkle.verify_consistency(*args) is False


def test_equal_sizes_need_empty_proof_and_equal_roots():
    """Consistency of a tree with itself is an empty proof."""
    assert merkle.verify_consistency(3, 3, H, H, []) is True


sizes = st.integers(min_value=1, max_value=70)


@st.composite
def tree_and_index(draw):
    size = draw(sizes)
    return size, draw(st.integers(min_value=0, max_value=size - 1))


@st.composite
def tree_and_old(draw):
    size = draw(sizes)
    return size, draw(st.integers(min_value=1, max_value=size))


@settings(max_examples=150, deadline=None)
@given(tree_and_index())
def test_every_inclusion_proof_verifies_and_no_bit_flip_does(case):
    """Every inclusion proof verifies; a flipped bit in the proof, root,
    index or size is rejected unless the claim is the very same
    computation (same path shape; the root does not commit to the size,
    which is why size and root must come from one signed checkpoint)."""
    size, index = case
    leaves = leaves_of(size)
    leaf = merkle.leaf_hash(leaves[index])
    path = merkle.inclusion_proof(leaves, index)
    head = merkle.root(leaves)
    assert merkle.verify_inclusion(leaf, index, size, path, head)

    for i, sibling in enumerate(path):
        for bit in range(256):
            changed = path[:i] + [flip(sibling, bit)] + path[i + 1:]
            assert not merkle.verify_inclusion(leaf, index, size, changed,
                                               head)
    for bit in range(256):
        assert not merkle.verify_inclusion(leaf, index, size, path,
                                           flip(head, bit))
        assert not merkle.verify_inclusion(flip(leaf, bit), index, size,
                                           path, head)
    for bit in range(8):
        other = index ^ (1 << bit)
        assert not merkle.verify_inclusion(leaf, other, size, path, head)
        grown = size ^ (1 << bit)
        same = index < grown and rfc6962.path_shape(
            index, grown) == rfc6962.path_shape(index, size)
        assert merkle.verify_inclusion(leaf, index, grown, path,
                                       head) is same


@settings(max_examples=150, deadline=None)
@given(tree_and_old())
def test_every_consistency_proof_verifies_and_no_bit_flip_does(case):
    """Every consistency proof verifies; a flipped bit in the proof, either
    root or either size is rejected unless it describes the very same
    computation (see the inclusion property above)."""
    size, old = case
    leaves = leaves_of(size)
    proof = merkle.consistency_proof(leaves, old)
    old_root, new_root = merkle.root(leaves[:old]), merkle.root(leaves)
    assert merkle.verify_consistency(old, size, old_root, new_root, proof)

    for i, node in enumerate(proof):
        for bit in range(256):
            changed = proof[:i] + [flip(node, bit)] + proof[i + 1:]
            assert not merkle.verify_consistency(old, size, old_root,
                                                 new_root, changed)
    for bit in range(256):
        assert not merkle.verify_consistency(old, size, flip(old_root, bit),
                                             new_root, proof)
        assert not merkle.verify_consistency(old, size, old_root,
                                             flip(new_root, bit), proof)
    shape = rfc6962.proof_shape(old, size)
    for bit in range(8):
        m, n = old ^ (1 << bit), size ^ (1 << bit)
        # Another old size is another old tree: never the same claim.
        assert not merkle.verify_consistency(m, size, old_root, new_root,
                                             proof)
        same = 0 < old <= n and rfc6962.proof_shape(old, n) == shape
        assert merkle.verify_consistency(old, n, old_root, new_root,
                                         proof) is same


@settings(max_examples=60, deadline=None)
@given(tree_and_index(), st.binary(min_size=1, max_size=40))
def test_arbitrary_entries_match_the_reference(case, seed):
    """Arbitrary entry bytes give the reference's root and path."""
    size, index = case
    leaves = [seed + bytes([i % 256]) * (i % 5) for i in range(size)]
    assert merkle.root(leaves) == rfc6962.mth(leaves)
    assert merkle.inclusion_proof(leaves, index) == rfc6962.path(index,
                                                                leaves)


junk = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
    st.binary(), st.lists(st.binary(max_size=40), max_size=5),
    st.lists(st.integers(), max_size=3),
)
maybe_hash = st.one_of(st.binary(min_size=32, max_size=32), junk)
maybe_size = st.one_of(st.integers(min_value=-2, max_value=1 << 70), junk)
maybe_proof = st.one_of(
    st.lists(st.binary(min_size=32, max_size=32), max_size=70), junk)


@settings(max_examples=300, deadline=None)
@given(maybe_hash, maybe_size, maybe_size, maybe_proof, maybe_hash)
def test_verify_inclusion_never_raises(leaf, index, size, proof, head):
    """Whatever it is given, verify_inclusion answers True or False."""
    answer = merkle.verify_inclusion(leaf, index, size, proof, head)
    assert isinstance(answer, bool)


@settings(max_examples=300, deadline=None)
@given(maybe_size, maybe_size, maybe_hash, maybe_hash, maybe_proof)
def test_verify_consistency_never_raises(old, new, old_root, new_root,
                                         proof):
    """Whatever it is given, verify_consistency answers True or False."""
    answer = merkle.verify_consistency(old, new, old_root, new_root, proof)
    assert isinstance(answer, bool)
