"""The standards API: the catalogue for every role but the regulator's,
coverage within reach."""

from __future__ import annotations

import pytest

from steward.organisations.models import Role
from tests.controls.factories import load_catalogue, make_procedure
from tests.world import World, signed_in_client


@pytest.mark.django_db
def test_framework_list_and_detail(world: World) -> None:
    load_catalogue()
    client = signed_in_client(world.b.people[Role.STAFF])
    listed = client.get("/api/v1/frameworks").json()
    assert [f["slug"] for f in listed["items"]] == [
        "caf",
        "dhp2008",
        "dpa1998",
        "iso27001",
        "ukgdpr",
    ]
    detail = client.get("/api/v1/frameworks/dhp2008").json()
    assert detail["version"] == "2008-06"
    assert detail["slug"] == "dhp2008"
    assert {
        "source": "urn:steward:dhp2008:removable-media",
        "target": "urn:steward:iso27001:a.7.10",
        "relation": "related",
    } in detail["mappings"]


@pytest.mark.django_db
def test_coverage_for_own_department_only(world: World) -> None:
    load_catalogue()
    make_procedure(world)
    own = signed_in_client(world.a.people[Role.GUARDIAN])
    body = own.get(f"/api/v1/organisations/{world.a.org.code}/coverage")
    assert body.status_code == 200
    assert body.json()["covered"] == 1
    other = signed_in_client(world.b.people[Role.SIRO])
    response = other.get(f"/api/v1/organisations/{world.a.org.code}/coverage")
    assert response.status_code == 404
