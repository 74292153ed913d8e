"""Django's admin opens for central administrators only."""

from __future__ import annotations

import pytest

from steward.organisations.models import Role
from tests.world import World, signed_in_client


@pytest.mark.django_db
def test_admin_is_for_central_administrators_only(world: World) -> None:
    assert signed_in_client(world.central).get("/admin/").status_code == 200
    for user in [*world.a.people.values(), world.auditor]:
        user.is_staff = True  # even with the flag, the role is needed
        user.save()
        response = signed_in_client(user).get("/admin/")
        assert response.status_code == 302, user.email
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_is_read_only(world: World) -> None:
    client = signed_in_client(world.central)
    page = client.get("/admin/organisations/organisation/")
    assert page.status_code == 200
    assert "alpha" in page.content.decode()
    assert (
        client.get("/admin/organisations/organisation/add/").status_code == 403
    )
    membership = world.a.people[Role.STAFF].memberships.first()
    response = client.post(
        f"/admin/organisations/membership/{membership.pk}/delete/",
        {"post": "yes"},
    )
    assert response.status_code == 403
