"""tlog-tiles static files: enough to compute any proof offline."""

from __future__ import annotations

import pytest

from steward.ledger import Log, merkle
from steward.ledger._compact import (
    CompactRange,
    fold,
    inclusion_ranges,
    range_nodes,
)
from steward.ledger.tiles import tile_path, write_tiles
from tests.ledger.conftest import ORIGIN

SIZE = 70_000  # two tile levels full, a third partial


@pytest.mark.parametrize("index, width, path", [
    (5, 256, "tile/0/005"),
    (1234067, 256, "tile/0/x001/x234/067"),
    (1000, 17, "tile/0/x001/000.p/17"),
])
def test_tile_paths(index, width, path):
    """Indexes are split into x-prefixed groups of three digits."""
    assert tile_path("0", index, width) == path


@pytest.fixture(scope="module")
def tiled(tmp_path_factory, log_key):
    directory = tmp_path_factory.mktemp("tiles")
    with Log.open(directory / "log.sqlite3", origin=ORIGIN) as log:
        log.append_many(b"e%d" % i for i in range(SIZE))
        note = log.sign_checkpoint(log_key)
        write_tiles(log, directory / "out")
        yield directory / "out", log.root(), note, log.inclusion_proof(
            54_321)


def read_level(root, level, count):
    """The first ``count`` hashes of tile level ``level``."""
    data = b""
    for index in range((count + 255) // 256):
        width = min(256, count - index * 256)
        data += (root / tile_path(str(level), index, width)).read_bytes()
    return [data[at:at + 32] for at in range(0, len(data), 32)]


def node_from_tiles(root, level, index):
    """Any perfect subtree's hash, from the tile level just below it."""
    tile_level, rest = divmod(level, 8)
    count = SIZE >> (8 * tile_level)
    hashes = read_level(root, tile_level, count)
    return fold_perfect(hashes[index << rest:(index + 1) << rest])


def fold_perfect(hashes):
    compact = CompactRange()
    for leaf in hashes:
        compact.append(leaf)
    return compact.root()


def test_checkpoint_and_entry_bundles(tiled):
    """The checkpoint is written and entry bundles hold every entry."""
    root, _, note, _ = tiled
    assert (root / "checkpoint").read_text() == note
    bundle = (root / tile_path("entries", 5)).read_bytes()
    entries = []
    while bundle:
        length = int.from_bytes(bundle[:2], "big")
        entries.append(bundle[2:2 + length])
        bundle = bundle[2 + length:]
    assert entries == [b"e%d" % i for i in range(5 * 256, 6 * 256)]
    assert (root / tile_path("entries", SIZE // 256, SIZE % 256)).exists()


def test_upper_tiles_match_the_leaves(tiled):
    """A level-1 hash is the root of the 256 leaf hashes under it."""
    root = tiled[0]
    leaves = read_level(root, 0, SIZE)
    assert leaves[7] == merkle.leaf_hash(b"e7")
    level_one = read_level(root, 1, SIZE >> 8)
    assert level_one[3] == fold_perfect(leaves[3 * 256:4 * 256])
    level_two = read_level(root, 2, SIZE >> 16)
    assert level_two == [fold_perfect(level_one[:256])]


def test_root_and_proof_from_tiles_alone(tiled):
    """The root and an inclusion proof computed from tiles agree with the
    log's."""
    root, head, _, proof = tiled
    ranges = inclusion_ranges(54_321, SIZE)
    from_tiles = [
        fold([node_from_tiles(root, level, index)
              for level, index in range_nodes(start, end)])
        for start, end in ranges
    ]
    assert from_tiles == proof
    assert merkle.verify_inclusion(merkle.leaf_hash(b"e54321"), 54_321,
                                   SIZE, from_tiles, head)
