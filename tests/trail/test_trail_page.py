"""The audit trail page: who did what, filtered by person, record,
organisation, action and date, scoped to the viewer."""

from __future__ import annotations

import pytest

from steward.organisations.models import Role
from tests.world import World, signed_in_client


@pytest.mark.django_db
def test_filter_by_record_shows_that_record_only(world: World) -> None:
    client = signed_in_client(world.a.people[Role.SIRO])
    record = f"organisations.organisation:{world.a.agency.pk}"
    page = client.get(f"/audit/?record={record}").content.decode()
    assert "created the organisation" in page
    assert "granted a role" not in page
    assert "Showing 1 to 1 of 1" in page


@pytest.mark.django_db
def test_filter_by_person(world: World) -> None:
    client = signed_in_client(world.central)
    email = world.a.people[Role.GUARDIAN].email
    page = client.get(f"/audit/?actor={email}").content.decode()
    assert "created an API key" in page
    assert "appointed the SIRO" not in page


@pytest.mark.django_db
def test_bad_filters_say_what_is_wrong(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    page = client.get(
        "/audit/?record=nonsense&actor=nobody@nowhere.example&since=yesterday"
    ).content.decode()
    assert "There is a problem" in page
    assert "Enter a record like organisations.organisation:12" in page
    assert "Enter a date like 2026-04-01" in page
    page = client.get("/audit/?actor=central@gov.example").content.decode()
    assert "No one in your organisations has that email address" in page
