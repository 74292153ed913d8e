from __future__ import annotations

import pytest
from django.test import Client

from steward.actions.models import Action
from steward.organisations.models import Role
from tests.actions.factories import raise_action
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db


def test_list_get_and_patch(world: World) -> None:
    action = raise_action(world.a)
    raise_action(world.b)
    client = signed_in_client(world.a.people[Role.IAO])
    listed = client.get("/api/v1/actions").json()
    assert [a["id"] for a in listed["items"]] == [action.pk]
    assert listed["items"][0]["overdue"] is False
    one = client.get(f"/api/v1/actions/{action.pk}").json()
    assert one["owner"] == world.a.people[Role.IAO].email
    patched = client.patch(
        f"/api/v1/actions/{action.pk}",
        {"status": "done", "note": "Finished"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["status"] == "done"


def test_raise_by_api_with_errors_then_right(world: World) -> None:
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    bad = client.post(
        "/api/v1/actions",
        {
            "organisation": world.a.org.code,
            "title": "Shred the old files",
            "owner": world.b.people[Role.IAO].email,
            "due": "2031-01-31",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {
        "owner": "The owner must hold a role in this organisation"
    }
    assert not Action.objects.exists()
    good = client.post(
        "/api/v1/actions",
        {
            "organisation": world.a.org.code,
            "title": "Shred the old files",
            "owner": world.a.people[Role.IAO].email,
            "due": "2031-01-31",
        },
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["due"] == "2031-01-31"


def test_api_key_of_another_department_sees_nothing(world: World) -> None:
    action = raise_action(world.a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.b.api_secret}")
    assert client.get("/api/v1/actions").json()["items"] == []
    assert client.get(f"/api/v1/actions/{action.pk}").status_code == 404
