"""Each role's home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.organisations.models import Role
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db


def test_the_central_home_page_links_the_cross_government_views(
    world: World,
) -> None:
    page = signed_in_client(world.central).get("/").content.decode()
    assert reverse("assessments:government") in page
    assert reverse("incidents:themes") in page
    staff = signed_in_client(world.a.people[Role.STAFF]).get("/")
    assert reverse("incidents:themes") not in staff.content.decode()
