"""``steward ledger``: verify, witness and keygen through Typer's runner."""

from __future__ import annotations

import base64
import stat
import zipfile

import pytest
from typer.testing import CliRunner

from steward.cli import app
from steward.cli import ledger as _ledger  # noqa: F401 - registers the group
from steward.ledger import (
    Checkpoint,
    Log,
    NoteSigner,
    merkle,
    verify_cosignature,
)
from steward.ledger.note import COSIGNATURE_V1
from tests.ledger.conftest import ORIGIN

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    result = runner.invoke(app, ["ledger", *args], env=env)
    # Rich wraps long lines; compare messages with the wrapping undone.
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture
def signed_log(tmp_path, log_key):
    with Log.open(tmp_path / "log.sqlite3", origin=ORIGIN) as log:
        log.append_many(b"event %d" % i for i in range(30))
        older = log.sign_checkpoint(log_key)
        log.append_many(b"event %d" % i for i in range(30, 60))
        log.sign_checkpoint(log_key)
        log.export_bundle(tmp_path / "bundle.zip")
        (tmp_path / "older.checkpoint").write_text(older)
        yield log


def test_verify_good_bundle(tmp_path, signed_log, log_key):
    """A good bundle exits 0 and says how many entries verified."""
    code, output = run("verify", str(tmp_path / "bundle.zip"),
                       "--key", log_key.vkey(),
                       "--checkpoint", str(tmp_path / "older.checkpoint"))
    assert code == 0, output
    assert f"OK 60 entries of {ORIGIN}" in output
    assert "consistent with the older checkpoint" in output


def test_verify_key_from_environment_or_file(tmp_path, signed_log, log_key):
    """The vkey can come from STEWARD_LEDGER_KEY or a file."""
    bundle = str(tmp_path / "bundle.zip")
    assert run("verify", bundle,
               env={"STEWARD_LEDGER_KEY": log_key.vkey()})[0] == 0
    (tmp_path / "log.vkey").write_text(log_key.vkey() + "\n")
    assert run("verify", bundle, "--key", str(tmp_path / "log.vkey"))[0] == 0


def test_verify_tampered_bundle_names_the_entry(tmp_path, signed_log,
                                                log_key):
    """A changed entry exits 1 and names its index and the reason."""
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path) as old:
        members = {name: old.read(name) for name in old.namelist()}
    lines = members["entries.jsonl"].splitlines(keepends=True)
    lines[42] = b'{"index":42,"entry":"%s"}\n' % base64.b64encode(b"forged")
    members["entries.jsonl"] = b"".join(lines)
    with zipfile.ZipFile(path, "w") as new:
        for name, data in members.items():
            new.writestr(name, data)
    code, output = run("verify", str(path), "--key", log_key.vkey())
    assert code == 1
    assert "FAILED entry 42: the entry does not hash into the signed tree" \
        in output


def test_verify_wrong_key_fails(tmp_path, signed_log):
    """Another log's key exits 1: the checkpoint is not signed by it."""
    code, output = run("verify", str(tmp_path / "bundle.zip"),
                       "--key", NoteSigner.generate("other").vkey())
    assert code == 1
    assert "FAILED checkpoint: no known key signed this note" in output


@pytest.mark.parametrize("args, message", [
    (["verify", "absent.zip", "--key", "x+00000000+AA=="],
     "The key is not a verifier key"),
    (["verify", "absent.zip"], "No verifier key"),
])
def test_verify_usage_errors_exit_2(args, message):
    """Bad keys and missing keys are usage errors (exit 2)."""
    code, output = run(*args, env={"STEWARD_LEDGER_KEY": ""})
    assert code == 2
    assert message in output


def test_verify_unreadable_bundle_exits_2(tmp_path, log_key):
    """A bundle that cannot be read is a read error (exit 2)."""
    code, output = run("verify", str(tmp_path / "absent.zip"),
                       "--key", log_key.vkey())
    assert code == 2
    assert "cannot read the bundle" in output


def checkpoint_file(tmp_path, key, leaves, name):
    note = Checkpoint(ORIGIN, len(leaves), merkle.root(leaves)).sign(key)
    path = tmp_path / name
    path.write_text(note)
    return path


def test_witness_accepts_then_refuses_a_fork(tmp_path, log_key,
                                             witness_key):
    """The witness co-signs growth and refuses a forked checkpoint."""
    leaves = [b"%d" % i for i in range(12)]
    state = str(tmp_path / "state")
    key_file = tmp_path / "witness.key"
    key_file.write_text(witness_key.skey())
    first = checkpoint_file(tmp_path, log_key, leaves[:8], "a")
    code, output = run("witness", str(first), "--key", log_key.vkey(),
                       "--state", state, "--cosign-key", str(key_file))
    assert code == 0, output
    assert "ACCEPTED" in output and "(first seen)" in output
    result = runner.invoke(app, ["ledger", "witness", str(first), "--key",
                                 log_key.vkey(), "--state", state,
                                 "--cosign-key", str(key_file)])
    # stdout is the co-signed note, byte for byte, whatever the width.
    cosigner = witness_key.as_type(COSIGNATURE_V1).verifier
    assert verify_cosignature(result.stdout, cosigner) > 0
    assert result.stdout.startswith(first.read_text().split("\n\n")[0])

    proof = tmp_path / "proof"
    proof.write_text("\n".join(base64.b64encode(h).decode()
                               for h in merkle.consistency_proof(leaves, 8)))
    grown = checkpoint_file(tmp_path, log_key, leaves, "b")
    code, output = run("witness", str(grown), "--key", log_key.vkey(),
                       "--state", state, "--proof", str(proof))
    assert code == 0, output
    assert "size 12 (was 8)" in output

    forked = checkpoint_file(tmp_path, log_key, leaves[:11] + [b"x"], "c")
    code, output = run("witness", str(forked), "--key", log_key.vkey(),
                       "--state", state)
    assert code == 1
    assert "REFUSED FORK" in output and "size 12" in output


def test_witness_refuses_unsigned(tmp_path, log_key, witness_key):
    """A checkpoint signed by another key is refused (exit 1)."""
    path = checkpoint_file(tmp_path, witness_key, [b"a"], "a")
    code, output = run("witness", str(path), "--key", log_key.vkey(),
                       "--state", str(tmp_path / "s"))
    assert code == 1
    assert "REFUSED the checkpoint: no known key" in output


def test_keygen_writes_private_key_and_prints_vkeys(tmp_path):
    """keygen writes an owner-only key file and prints both vkeys."""
    path = tmp_path / "log.key"
    code, output = run("keygen", "ledger.test.example", "--out", str(path))
    assert code == 0, output
    signer = NoteSigner.from_skey(path.read_text())
    assert f"vkey: {signer.vkey()}" in output
    assert "witness vkey: ledger.test.example+" in output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    code, output = run("keygen", "ledger.test.example", "--out", str(path))
    assert code == 2 and "exists" in output
    code, output = run("keygen", "bad name", "--out", str(tmp_path / "x"))
    assert code == 2 and "no spaces" in output
