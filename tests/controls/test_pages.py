"""The standards pages: the catalogue for every signed-in role but the
regulator's, and each organisation's coverage within reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.controls import selectors
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.controls.factories import load_catalogue, make_procedure
from tests.world import MARKER, World, signed_in_client


@pytest.mark.django_db
def test_framework_list_shows_every_framework(world: World) -> None:
    load_catalogue()
    response = signed_in_client(world.b.people[Role.STAFF]).get("/standards/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Data Handling Procedures in Government" in body
    assert "ISO/IEC 27001:2022 Annex A controls" in body


@pytest.mark.django_db
def test_framework_detail_shows_requirements_and_mappings(
    world: World,
) -> None:
    load_catalogue()
    client = signed_in_client(world.a.people[Role.IAO])
    body = client.get("/standards/dhp2008/").content.decode()
    assert "Encrypt removable media in transit" in body
    assert "urn:steward:dhp2008:removable-media" in body
    assert "iso27001 A.7.10 Storage media" in body
    # Mapped into from the other side as well.
    iso = client.get("/standards/iso27001/").content.decode()
    assert "dhp2008 II.5 Encrypt removable media in transit" in iso


@pytest.mark.django_db
def test_unknown_framework_is_404(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    assert client.get("/standards/nothing/").status_code == 404
    load_catalogue()
    response = client.get("/standards/dhp2008/?version=1999")
    assert response.status_code == 404


@pytest.mark.django_db
def test_regulator_does_not_read_the_catalogue(world: World) -> None:
    load_catalogue()
    response = signed_in_client(world.auditor).get("/standards/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_coverage_lists_uncovered_and_overdue(world: World) -> None:
    load_catalogue()
    make_procedure(world)
    make_procedure(
        world,
        urns=("urn:steward:dhp2008:training",),
        next_review=timezone.localdate() - dt.timedelta(days=1),
        title="Zanzibarian training procedure",
    )
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    body = client.get(f"/standards/procedures/{world.a.org.code}/")
    text = body.content.decode()
    assert body.status_code == 200
    # 16 measures + 8 UK GDPR duties; one covered, the overdue one not.
    assert "1 of 24 mandatory requirements are covered" in text
    assert "Overdue" in text
    coverage = selectors.procedure_coverage(
        access=access_for_user(world.a.people[Role.GUARDIAN]),
        organisation=world.a.org,
    )
    uncovered = {r.urn for r in coverage.uncovered}
    assert "urn:steward:dhp2008:removable-media" not in uncovered
    assert "urn:steward:dhp2008:training" in uncovered
    assert [p.title for p in coverage.overdue] == [
        "Zanzibarian training procedure"
    ]


@pytest.mark.django_db
def test_outsider_cannot_see_coverage(world: World) -> None:
    load_catalogue()
    make_procedure(world)
    client = signed_in_client(world.b.people[Role.SIRO])
    response = client.get(f"/standards/procedures/{world.a.org.code}/")
    assert response.status_code == 404
    assert MARKER not in response.content.decode()


@pytest.mark.django_db
def test_coverage_is_a_fixed_number_of_queries(
    world: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    load_catalogue()
    for i in range(5):
        make_procedure(world, title=f"P{i}")
    access = access_for_user(world.a.people[Role.SIRO])
    with django_assert_max_num_queries(4):
        selectors.procedure_coverage(access=access, organisation=world.a.org)
