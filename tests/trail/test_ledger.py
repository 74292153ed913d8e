"""The ledger as the regulator sees it: the signed checkpoint, entries
with inclusion proofs and consistency proofs that verify, and bundles
that verify offline."""

from __future__ import annotations

import base64

import pytest
from typer.testing import CliRunner

from steward.audit.publishing import open_ledger, publish_pending
from steward.cli import _register, app
from steward.ledger.merkle import verify_consistency, verify_inclusion
from steward.organisations.models import Role
from tests.world import World, signed_in_client

_register()


@pytest.fixture
def published(world: World, settings, tmp_path) -> World:
    settings.LEDGER_URL = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    settings.LEDGER_KEY_FILE = str(tmp_path / "ledger.key")
    with open_ledger() as log:
        publish_pending(log=log)
    return world


@pytest.mark.django_db
def test_regulator_checks_an_entry_against_the_checkpoint(
    published: World,
) -> None:
    client = signed_in_client(published.auditor)
    cp = client.get("/api/v1/ledger/checkpoint").json()
    assert cp["size"] > 10
    assert cp["note"].startswith("steward.localhost/ledger\n")
    root = base64.b64decode(cp["root"])
    entry = client.get("/api/v1/ledger/entries/7").json()
    assert entry["tree_size"] == cp["size"]
    proof = [bytes.fromhex(h) for h in entry["inclusion_proof"]]
    leaf = bytes.fromhex(entry["leaf_hash"])
    assert verify_inclusion(leaf, 7, cp["size"], proof, root)
    assert not verify_inclusion(leaf, 8, cp["size"], proof, root)
    assert entry["event"]["action"]


@pytest.mark.django_db
def test_consistency_between_two_sizes_verifies(published: World) -> None:
    client = signed_in_client(published.central)
    size = client.get("/api/v1/ledger/checkpoint").json()["size"]
    entries = client.get(f"/api/v1/ledger/entries?start=0&stop={size}")
    assert len(entries.json()) == size
    with open_ledger() as log:
        old_root = log.root_at(5)
        new_root = log.root_at(size)
    proof = client.get(
        f"/api/v1/ledger/consistency?old_size=5&new_size={size}"
    ).json()
    hashes = [bytes.fromhex(h) for h in proof["proof"]]
    assert verify_consistency(5, size, old_root, new_root, hashes)


@pytest.mark.django_db
def test_bad_ranges_say_what_is_wrong(published: World) -> None:
    client = signed_in_client(published.auditor)
    response = client.get("/api/v1/ledger/entries?start=0&stop=5000")
    assert response.status_code == 422
    assert response.json()["errors"]["stop"].startswith(
        "Ask for at most 1000 entries"
    )
    assert client.get("/api/v1/ledger/entries/99999").status_code == 404
    response = client.get("/api/v1/ledger/consistency?old_size=9&new_size=3")
    assert response.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SIRO, Role.GUARDIAN, Role.STAFF])
def test_departments_do_not_read_the_whole_ledger(
    published: World, role: str
) -> None:
    client = signed_in_client(published.a.people[role])
    response = client.get("/api/v1/ledger/checkpoint")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the regulator and the central team read the ledger"
    }
    assert client.get("/audit/ledger/").status_code == 403


@pytest.mark.django_db
def test_ledger_page_shows_the_checkpoint(published: World) -> None:
    page = signed_in_client(published.auditor).get("/audit/ledger/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "steward ledger verify ledger.zip --key" in body
    assert "Waiting to be appended" in body


@pytest.mark.django_db
def test_export_then_verify_offline(published: World, tmp_path) -> None:
    runner = CliRunner()
    bundle = tmp_path / "ledger.zip"
    result = runner.invoke(app, ["ledger", "export", str(bundle)])
    assert result.exit_code == 0, result.output
    vkey = result.output.split("--key ")[1].split()[0]
    result = runner.invoke(
        app, ["ledger", "verify", str(bundle), "--key", vkey]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["ledger", "status"])
    assert "Waiting in the outbox: 0" in result.output


@pytest.mark.django_db
def test_verifying_the_ledger_is_recorded_and_shown(published: World) -> None:
    client = signed_in_client(published.auditor)
    response = client.post("/audit/ledger/verify/", follow=True)
    body = response.content.decode()
    assert "The ledger verified" in body
    assert "Verified" in body
    # A second check must extend the checkpoint the first one kept.
    response = client.post("/audit/ledger/verify/", follow=True)
    assert "The ledger verified" in response.content.decode()


@pytest.mark.django_db
def test_verifying_before_anything_is_signed_says_so(
    world: World, settings, tmp_path
) -> None:  # fmt: skip
    settings.LEDGER_URL = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    settings.LEDGER_KEY_FILE = str(tmp_path / "ledger.key")
    client = signed_in_client(world.auditor)
    body = client.post("/audit/ledger/verify/", follow=True).content.decode()
    assert "nothing to verify then: no checkpoint had been signed" in body
    assert ">Verified<" not in body
    assert "Nothing to verify yet" in body


@pytest.mark.django_db
def test_a_tampered_ledger_fails_verification(published: World) -> None:
    import sqlite3

    from django.conf import settings

    from steward.organisations.access import access_for_user
    from steward.trail.models import LedgerVerification
    from steward.trail.services import ledger_verify

    path = settings.LEDGER_URL.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        tables = [
            r[0]
            for r in db.execute(
                "select name from sqlite_master where type='table'"
            )
        ]
    assert "ledger_entry_run" in tables
    # Forge the signed checkpoint's root: the verification must fail.
    with sqlite3.connect(path) as db:
        (note,) = db.execute(
            "select note from ledger_checkpoint order by size desc"
        ).fetchone()
        lines = note.split("\n")
        lines[2] = "A" * 43 + "="
        db.execute(
            "update ledger_checkpoint set note = ?", ("\n".join(lines),)
        )
    result = ledger_verify(access=access_for_user(published.central))
    assert not result.ok
    assert LedgerVerification.objects.get().ok is False


@pytest.mark.django_db
def test_departments_cannot_run_the_verification(published: World) -> None:
    client = signed_in_client(published.a.people[Role.SIRO])
    assert client.post("/audit/ledger/verify/").status_code == 403
