"""C2SP ``tlog-tiles``: the log as static files a regulator can mirror.

``write_tiles`` writes, under one directory:

- ``checkpoint``: the signed checkpoint the files describe;
- ``tile/<L>/<N>``: hash tiles of 256 hashes; tile level L holds the
  hashes of tree level 8L (level 0: the leaf hashes), tile N the nodes
  ``256 * N`` onwards, each 32 bytes;
- ``tile/entries/<N>``: entry bundles, the entries of leaf tile N, each
  as a 2-byte big-endian length followed by its bytes;
- a tile that is not yet full is written as ``<N>.p/<W>`` with its W
  hashes or entries.

``N`` is written in groups of three digits, every group but the last
prefixed with ``x`` (1234067 is ``x001/x234/067``). Any proof can be
computed from these files alone, offline.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from steward.ledger._compact import NodeKey
from steward.ledger.checkpoint import Checkpoint
from steward.ledger.log import Log
from steward.ledger.note import SignedNote

__all__ = ["TILE_WIDTH", "tile_path", "write_tiles"]

TILE_WIDTH = 256
_HEIGHT = 8  # tree levels per tile level: 2**8 == TILE_WIDTH


def tile_path(kind: str, index: int, width: int = TILE_WIDTH) -> str:
    """``tile/<kind>/<N>``, with ``.p/<W>`` for a partial tile."""
    digits = f"{index:03d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[at:at + 3] for at in range(0, len(digits), 3)]
    path = "/".join([*("x" + g for g in groups[:-1]), groups[-1]])
    partial = f".p/{width}" if width < TILE_WIDTH else ""
    return f"tile/{kind}/{path}{partial}"


def write_tiles(log: Log, directory: str | os.PathLike[str],
                note: str | None = None) -> int:
    """Write the tiles for the signed checkpoint ``note`` (by default the
    last one the log signed); return the number of files written."""
    note = note if note is not None else log.signed_checkpoint()
    if note is None:
        raise ValueError("sign a checkpoint before writing tiles")
    size = Checkpoint.from_body(SignedNote.parse(note).text).size
    root = Path(directory)
    written = _write(root / "checkpoint", note.encode())
    written += _leaf_tiles(log, root, size)
    level = 1
    while size >> (_HEIGHT * level):
        written += _node_tiles(log, root, size, level)
        level += 1
    return written


def _write(path: Path, data: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return 1


def _leaf_tiles(log: Log, root: Path, size: int) -> int:
    written = 0
    for index, pairs in enumerate(_chunks(log.entries_with_hashes(0, size))):
        bundle = b"".join(len(e).to_bytes(2, "big") + e for e, _ in pairs)
        hashes = b"".join(leaf for _, leaf in pairs)
        written += _write(root / tile_path("entries", index, len(pairs)),
                          bundle)
        written += _write(root / tile_path("0", index, len(pairs)), hashes)
    return written


def _chunks(
    pairs: Iterator[tuple[bytes, bytes]],
) -> Iterator[list[tuple[bytes, bytes]]]:
    chunk = []
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) == TILE_WIDTH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _node_tiles(log: Log, root: Path, size: int, level: int) -> int:
    tree_level = _HEIGHT * level
    count = size >> tree_level  # complete nodes at this tree level
    written = 0
    for index in range(0, (count + TILE_WIDTH - 1) // TILE_WIDTH):
        first = index * TILE_WIDTH
        keys: list[NodeKey] = [
            (tree_level, node)
            for node in range(first, min(count, first + TILE_WIDTH))
        ]
        found = log.subtree_hashes(keys)
        data = b"".join(found[key] for key in keys)
        written += _write(root / tile_path(str(level), index, len(keys)),
                          data)
    return written
