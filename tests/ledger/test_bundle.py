"""Bundles verify offline, and any tampering names the first bad place."""

from __future__ import annotations

import json
import zipfile

import pytest

from steward.ledger import (
    BundleError,
    Log,
    NoteSigner,
    VerificationError,
    leaf_hash,
    verify_bundle,
)
from tests.ledger.conftest import ORIGIN

SIZE = 40


@pytest.fixture
def log(tmp_path, log_key):
    with Log.open(tmp_path / "log.sqlite3", origin=ORIGIN) as log:
        log.append_many(b"event %d" % i for i in range(SIZE // 2))
        log.sign_checkpoint(log_key)
        log.append_many(b"event %d" % i for i in range(SIZE // 2, SIZE))
        log.sign_checkpoint(log_key)
        yield log


@pytest.fixture
def bundle(tmp_path, log):
    path = tmp_path / "bundle.zip"
    assert log.export_bundle(path) == SIZE
    return path


def rewrite(path, member, change):
    """Replace one member of the zip with ``change(old bytes)``."""
    with zipfile.ZipFile(path) as old:
        contents = {name: old.read(name) for name in old.namelist()}
    contents[member] = change(contents[member])
    with zipfile.ZipFile(path, "w") as new:
        for name, data in contents.items():
            new.writestr(name, data)


def lines_changed(change):
    def apply(data):
        lines = data.splitlines(keepends=True)
        change(lines)
        return b"".join(lines)
    return apply


def test_a_good_bundle_verifies(bundle, log_key):
    """An exported bundle verifies against the log's vkey."""
    seen = []
    report = verify_bundle(bundle, log_key.vkey(),
                           progress=lambda d, t: seen.append((d, t)))
    assert report.ok, report.reason
    assert (report.origin, report.size) == (ORIGIN, SIZE)
    assert seen[-1] == (SIZE, SIZE)
    report.raise_for_failure()


def test_bundle_layout(bundle):
    """The documented members and line format."""
    with zipfile.ZipFile(bundle) as z:
        assert sorted(z.namelist()) == sorted(
            ["manifest.json", "checkpoint", "entries.jsonl",
             "leaf-hashes.bin"])
        assert json.loads(z.read("manifest.json"))["size"] == SIZE
        first = json.loads(z.read("entries.jsonl").splitlines()[0])
        assert first == {"index": 0, "entry": "ZXZlbnQgMA=="}
        assert len(z.read("leaf-hashes.bin")) == 32 * SIZE


def test_consistent_with_older_checkpoint(tmp_path, log, log_key):
    """The bundle extends an older checkpoint of the same log."""
    path = tmp_path / "old-then-new.zip"
    older = log.signed_checkpoint()
    log.append(b"one more")
    log.sign_checkpoint(log_key)
    log.export_bundle(path)
    assert verify_bundle(path, log_key.vkey(), older=older).ok


def test_forked_log_fails_against_older_checkpoint(tmp_path, bundle,
                                                   log_key):
    """A bundle from a log that rewrote history fails the older check."""
    with Log.open(tmp_path / "fork.sqlite3", origin=ORIGIN) as fork:
        fork.append_many(b"other %d" % i for i in range(SIZE // 2))
        older = fork.sign_checkpoint(log_key)
    report = verify_bundle(bundle, log_key.vkey(), older=older)
    assert not report.ok
    assert "forked" in report.reason


@pytest.mark.parametrize("index", [0, 17, SIZE - 1])
def test_changed_entry_is_named(bundle, log_key, index):
    """Changing one entry's bytes names that entry."""
    def change(lines):
        lines[index] = b'{"index":%d,"entry":"dGFtcGVyZWQ="}\n' % index
    rewrite(bundle, "entries.jsonl", lines_changed(change))
    report = verify_bundle(bundle, log_key.vkey())
    assert (report.ok, report.first_bad_index) == (False, index)
    assert "does not hash into the signed tree" in report.reason


@pytest.mark.parametrize("index", [0, 17, SIZE - 1])
def test_deleted_entry_is_named(bundle, log_key, index):
    """Deleting an entry names the place it was."""
    rewrite(bundle, "entries.jsonl", lines_changed(lambda ls: ls.pop(index)))
    report = verify_bundle(bundle, log_key.vkey())
    assert (report.ok, report.first_bad_index) == (False, index)


@pytest.mark.parametrize("index", [0, 17, SIZE])
def test_inserted_entry_is_named(bundle, log_key, index):
    """Inserting an entry names the place it went in."""
    def change(lines):
        lines.insert(index, b'{"index":%d,"entry":"bmV3"}\n' % index)
    rewrite(bundle, "entries.jsonl", lines_changed(change))
    report = verify_bundle(bundle, log_key.vkey())
    assert (report.ok, report.first_bad_index) == (False, index)


@pytest.mark.parametrize("index", [0, 17, SIZE - 2])
def test_swapped_entries_are_named(bundle, log_key, index):
    """Swapping two neighbours names the first, renumbered or not."""
    def swap(lines):
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
    rewrite(bundle, "entries.jsonl", lines_changed(swap))
    assert verify_bundle(bundle, log_key.vkey()).first_bad_index == index

    def renumber(lines):
        for i in (index, index + 1):
            record = json.loads(lines[i])
            record["index"] = i
            lines[i] = json.dumps(record).encode() + b"\n"
    rewrite(bundle, "entries.jsonl", lines_changed(renumber))
    report = verify_bundle(bundle, log_key.vkey())
    assert (report.ok, report.first_bad_index) == (False, index)


def test_entry_and_its_leaf_hash_both_changed(bundle, log_key):
    """Changing an entry and its recorded hash alike still fails; the
    signed root alone cannot say which entry, and the report says so."""
    def change(lines):
        lines[5] = b'{"index":5,"entry":"dGFtcGVyZWQ="}\n'
    rewrite(bundle, "entries.jsonl", lines_changed(change))
    rewrite(bundle, "leaf-hashes.bin",
            lambda d: d[:160] + leaf_hash(b"tampered") + d[192:])
    report = verify_bundle(bundle, log_key.vkey())
    assert (report.ok, report.first_bad_index) == (False, None)
    assert "do not hash to the signed root" in report.reason


def test_damaged_leaf_hashes_alone_fail(bundle, log_key):
    """An altered leaf-hashes.bin fails even though the entries are good."""
    rewrite(bundle, "leaf-hashes.bin", lambda d: d[:64] + bytes(32) + d[96:])
    report = verify_bundle(bundle, log_key.vkey())
    assert (report.ok, report.first_bad_index) == (False, 2)
    assert "leaf-hashes.bin was altered" in report.reason


def test_every_bit_of_the_checkpoint_matters(bundle, log_key):
    """Flipping any single bit of the checkpoint fails verification."""
    with zipfile.ZipFile(bundle) as z:
        note = z.read("checkpoint")
    for bit in range(len(note) * 8):
        changed = bytearray(note)
        changed[bit // 8] ^= 1 << (bit % 8)
        rewrite(bundle, "checkpoint", lambda _, c=changed: bytes(c))
        report = verify_bundle(bundle, log_key.vkey())
        assert not report.ok, bit
        assert report.reason.startswith(("checkpoint:", "the manifest")), (
            report.reason)


def test_other_key_fails(bundle):
    """A checkpoint no known key signed fails, naming the checkpoint."""
    report = verify_bundle(bundle, NoteSigner.generate("x").vkey())
    assert not report.ok
    assert report.reason == "checkpoint: no known key signed this note"
    with pytest.raises(VerificationError, match="no known key"):
        report.raise_for_failure()


def test_unreadable_bundles_raise(tmp_path, log_key):
    """A missing or non-zip bundle is a BundleError, not a failure."""
    with pytest.raises(BundleError, match="cannot read"):
        verify_bundle(tmp_path / "absent.zip", log_key.vkey())
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(BundleError, match="cannot read"):
        verify_bundle(tmp_path / "junk.zip", log_key.vkey())
    with pytest.raises(BundleError, match="verifier key"):
        verify_bundle(tmp_path / "junk.zip", "bad key")


@pytest.mark.parametrize("member", ["entries.jsonl", "checkpoint",
                                    "leaf-hashes.bin"])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_raw_byte_flip_in_a_member_fails(bundle, log_key, member, where):
    """A byte changed inside a member's stored (compressed) bytes, as by a
    disk or transfer fault, makes verification fail."""
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as z:
        info = z.getinfo(member)
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26:header + 28], "little")
    extra_length = int.from_bytes(data[header + 28:header + 30], "little")
    start = header + 30 + name_length + extra_length
    data[start + int(info.compress_size * where)] ^= 0x40
    bundle.write_bytes(bytes(data))
    report = verify_bundle(bundle, log_key.vkey())
    assert not report.ok
