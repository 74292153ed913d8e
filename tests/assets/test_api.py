"""The register's API: CRUD (close, never delete), history, export and
import, through the same services and scope as the pages."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from steward.assets import importing
from steward.assets.models import Asset
from steward.organisations.models import Role
from tests.assets.factories import make_asset
from tests.world import MARKER, World, signed_in_client

pytestmark = pytest.mark.django_db

BODY = {
    "organisation": "alpha",
    "reference": "API-1",
    "name": "Visa applications",
    "owner_email": "iao@alpha.example",
    "legal_basis": "public_task",
    "data_subjects": ["visa_applicants"],
    "categories": ["identifiers", "passport", "immigration"],
    "individuals": 999,
    "records": 999,
    "encrypted_at_rest": True,
    "retention": "2 years",
    "review_due": "2027-01-31",
    "locations": [{"system": "VisaCRM", "country": "PH"}],
    "transfer_mechanism": "idta",
}


def test_create_get_update_close(world: World) -> None:
    client = signed_in_client(world.a.people[Role.IAO])
    response = client.post(
        "/api/v1/assets", BODY, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["is_ppd"], body["offshore"], body["transfer_ok"]) == (
        True,
        True,
        True,
    )
    pk = body["id"]
    response = client.patch(
        f"/api/v1/assets/{pk}",
        {"transfer_mechanism": "", "reason": "IDTA lapsed"},
        content_type="application/json",
    )
    assert response.json()["risk"] == "high"
    history = client.get(f"/api/v1/assets/{pk}/history").json()
    assert [h["action"] for h in history] == ["asset.update", "asset.create"]
    assert history[0]["fields"]["transfer_mechanism"] == ["idta", ""]
    response = client.post(
        f"/api/v1/assets/{pk}/close",
        {"reason": "Moved onshore"},
        content_type="application/json",
    )
    assert response.json()["status"] == "closed"
    assert Asset.objects.filter(pk=pk).exists()


def test_errors_say_what_is_wrong(world: World) -> None:
    client = signed_in_client(world.a.people[Role.IAO])
    response = client.post(
        "/api/v1/assets",
        BODY | {"owner_email": "staff@alpha.example", "reference": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "reference": "Enter the asset's reference",
        "owner": "The owner must hold the Information Asset Owner role in "
        f"{world.a.org.name}",
    }


def test_list_filters_and_scope(world: World) -> None:
    make_asset(world.a, reference="1")
    make_asset(
        world.a, reference="2", locations=[{"system": "S", "country": "US"}]
    )
    key = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    body = key.get("/api/v1/assets?offshore=true").json()
    assert body["count"] == 1
    assert body["items"][0]["locations"][0]["country"] == "US"
    assert key.get("/api/v1/assets?country=US").json()["count"] == 1
    assert key.get("/api/v1/assets").json()["count"] == 2
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {world.b.api_secret}")
    assert outsider.get("/api/v1/assets").json()["count"] == 0


def test_api_key_reads_but_cannot_write(world: World) -> None:
    asset = make_asset(world.a)
    key = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    assert key.get(f"/api/v1/assets/{asset.pk}").status_code == 200
    response = key.post(
        "/api/v1/assets", BODY, content_type="application/json"
    )
    assert response.status_code == 403


def test_export_and_import(world: World) -> None:
    make_asset(world.a)
    client = signed_in_client(world.a.people[Role.SIRO])
    csv_text = client.get("/api/v1/assets/export?format=csv").content.decode()
    assert f"{MARKER} claimant records" in csv_text
    xlsx = client.get("/api/v1/assets/export?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    # Re-import the export into the agency: a dry run, then the commit.
    exported = csv_text.replace("alpha,", "alpha-agency,")
    f = io.BytesIO(exported.encode())
    f.name = "export.csv"
    dry = client.post(
        "/api/v1/assets/import", {"file": f, "organisation": "alpha"}
    ).json()
    assert dry == {
        "rows": 1,
        "ready": 1,
        "unchanged": 0,
        "imported": 0,
        "problems": [],
    }
    f.seek(0)
    done = client.post(
        "/api/v1/assets/import",
        {"file": f, "organisation": "alpha", "dry_run": "false"},
    ).json()
    assert done["imported"] == 1
    assert Asset.objects.filter(organisation=world.a.agency).count() == 1
    f.seek(0)
    again = client.post(
        "/api/v1/assets/import",
        {"file": f, "organisation": "alpha", "dry_run": "false"},
    ).json()
    assert again["imported"] == 0
    assert again["problems"][0]["reason"].startswith("This file has already")
    assert len(importing.COLUMNS) == 27


def test_outsiders_cannot_patch(world: World) -> None:
    """The isolation matrix sends GET and POST; PATCH is checked here."""
    asset = make_asset(world.a)
    for client in (
        signed_in_client(world.b.people[Role.SIRO]),
        Client(HTTP_AUTHORIZATION=f"Bearer {world.b.api_secret}"),
        signed_in_client(world.auditor),
    ):
        response = client.patch(
            f"/api/v1/assets/{asset.pk}",
            {"name": "Taken over"},
            content_type="application/json",
        )
        assert response.status_code == 404
        assert MARKER not in response.content.decode()
    asset.refresh_from_db()
    assert asset.name == f"{MARKER} claimant records"


def test_import_with_a_column_mapping(world: World) -> None:
    header = [h for _, h, _ in importing.COLUMNS]
    header[0] = "Asset ID"
    rows = list(importing.rows_of_template())
    rows[0] = header
    rows[1][4] = "iao@alpha.example"
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in rows)
    client = signed_in_client(world.a.people[Role.IAO])

    def post(mapping: str) -> dict:
        f = io.BytesIO(text.encode())
        f.name = "r.csv"
        data = {"file": f, "organisation": "alpha", "mapping": mapping}
        response = client.post("/api/v1/assets/import", data)
        return {"status": response.status_code, **response.json()}

    assert post("")["problems"][0]["reason"] == (
        "No column of the file is mapped to this"
    )
    assert post('{"reference": "Asset ID"}')["ready"] == 1
    assert post("[1]")["errors"] == {
        "mapping": "Give the mapping as a JSON object"
    }
    assert post('{"reference": "Nope"}')["errors"] == {
        "mapping": "The file has no column 'Nope'"
    }
