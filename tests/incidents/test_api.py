"""The incidents API: report, the register and one incident."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.incidents.models import Incident
from steward.organisations.models import Role
from tests.assets.factories import make_asset
from tests.incidents.factories import graded
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db

BODY = {
    "organisation": "alpha",
    "summary": "Discs lost in the internal post",
    "description": "Two discs sent unrecorded; not received.",
    "aware_at": "2024-10-25T10:00:00+01:00",
    "people_estimate": 25000000,
}


def test_report_list_and_get(world: World) -> None:
    asset = make_asset(world.a)
    client = signed_in_client(world.a.people[Role.STAFF])
    response = client.post(
        "/api/v1/incidents",
        BODY | {"assets": [asset.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["assets"] == [asset.pk]
    assert body["clock"]["deadline"] == "2024-10-28T09:00:00Z"
    assert body["clock"]["deadline_london"] == (
        "Monday 28 October 2024, 9:00am GMT"
    )
    assert body["notifiable"] is None
    listing = client.get("/api/v1/incidents").json()
    assert [i["id"] for i in listing["items"]] == [body["id"]]
    one = client.get(f"/api/v1/incidents/{body['id']}")
    assert one.json()["summary"] == BODY["summary"]


def test_report_refuses_naive_times_and_unknown_assets(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    response = client.post(
        "/api/v1/incidents",
        BODY | {"aware_at": "2024-10-25T10:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "aware_at": "Give a time zone, e.g. Z or +01:00"
    }
    response = client.post(
        "/api/v1/incidents",
        BODY | {"assets": [999999]},
        content_type="application/json",
    )
    assert response.json()["errors"] == {"assets": "No such asset"}
    assert not Incident.objects.exists()


def test_outsiders_and_regulator(world: World) -> None:
    incident = graded(world.a)
    for client in (
        signed_in_client(world.b.people[Role.GUARDIAN]),
        signed_in_client(world.auditor),
        Client(HTTP_AUTHORIZATION=f"Bearer {world.b.api_secret}"),
    ):
        assert client.get(f"/api/v1/incidents/{incident.pk}").status_code == (
            404
        )
        assert client.get("/api/v1/incidents").json()["count"] == 0
        response = client.post(
            "/api/v1/incidents", BODY, content_type="application/json"
        )
        assert response.status_code == 422
    key = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    assert key.get(f"/api/v1/incidents/{incident.pk}").status_code == 200
