"""Writes to the register: derived columns, history, audit, closing."""

from __future__ import annotations

import pytest

from steward.assets import services
from steward.assets.models import Asset, Change, Status
from steward.audit.models import AuditEvent
from steward.common.errors import Forbidden, Invalid
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.assets.factories import UK_SITE, facts, make_asset
from tests.world import World

pytestmark = pytest.mark.django_db


def test_create_derives_and_records(world: World) -> None:
    """Registering stores the derived columns, one change and one audit
    event."""
    before = AuditEvent.objects.count()
    asset = make_asset(world.a, encrypted_at_rest=False)
    assert (asset.is_ppd, asset.classification, asset.risk) == (
        True,
        "official",
        "high",
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == "asset.create"
    assert event.organisation_id == world.a.org.pk
    change = Change.objects.get(asset=asset)
    assert change.fields["individuals"] == [None, 5000]
    assert change.actor_id == f"user:{world.a.people[Role.IAO].pk}"


def test_offshore_without_basis_is_high_risk(world: World) -> None:
    asset = make_asset(
        world.a,
        locations=[{"system": "Visa CRM", "country": "IN"}],
    )
    assert asset.offshore and not asset.transfer_ok and asset.risk == "high"


def test_update_keeps_before_and_after(world: World) -> None:
    asset = make_asset(world.a)
    services.asset_update(
        access=access_for_user(world.a.people[Role.SIRO]),
        asset=asset,
        data={"individuals": 999, "categories": ["identifiers"]},
        reason="Data minimised",
    )
    asset.refresh_from_db()
    assert not asset.is_ppd
    change = Change.objects.filter(asset=asset).first()
    assert change is not None
    assert change.action == "asset.update"
    assert change.fields == {
        "categories": [["identifiers", "financial"], ["identifiers"]],
        "individuals": [5000, 999],
    }
    assert change.reason == "Data minimised"


def test_update_without_change_records_nothing(world: World) -> None:
    asset = make_asset(world.a)
    before = AuditEvent.objects.count()
    services.asset_update(
        access=access_for_user(world.a.people[Role.IAO]),
        asset=asset,
        data={"individuals": 5000},
    )
    assert AuditEvent.objects.count() == before


def test_location_change_is_kept(world: World) -> None:
    asset = make_asset(world.a)
    services.asset_update(
        access=access_for_user(world.a.people[Role.IAO]),
        asset=asset,
        data={},
        locations=[{"system": "Claims DB", "site": "Dublin", "country": "IE"}],
    )
    asset.refresh_from_db()
    assert asset.offshore and asset.transfer_ok
    change = Change.objects.filter(asset=asset).first()
    assert change is not None
    assert change.fields["locations"] == [
        ["Claims DB / Leeds / GB"],
        ["Claims DB / Dublin / IE"],
    ]


def test_close_keeps_the_asset(world: World) -> None:
    asset = make_asset(world.a)
    services.asset_close(
        access=access_for_user(world.a.people[Role.IAO]),
        asset=asset,
        reason="System decommissioned",
        disposed=True,
    )
    asset = Asset.objects.get(pk=asset.pk)
    assert asset.status == Status.DISPOSED
    assert asset.closed_by == world.a.people[Role.IAO]
    assert asset.closed_reason == "System decommissioned"
    with pytest.raises(Invalid) as exc:
        services.asset_update(
            access=access_for_user(world.a.people[Role.IAO]),
            asset=asset,
            data={"name": "New"},
        )
    assert exc.value.errors == {"status": "A closed asset cannot be changed"}


def test_close_needs_a_reason(world: World) -> None:
    asset = make_asset(world.a)
    with pytest.raises(Invalid) as exc:
        services.asset_close(
            access=access_for_user(world.a.people[Role.IAO]),
            asset=asset,
            reason=" ",
        )
    assert exc.value.errors == {
        "reason": "Enter why the asset is being closed"
    }


def test_review_sets_the_next_quarter(world: World) -> None:
    asset = make_asset(world.a)
    asset = services.asset_review(
        access=access_for_user(world.a.people[Role.IAO]), asset=asset
    )
    assert asset.last_reviewed is not None
    assert (asset.review_due - asset.last_reviewed).days in range(89, 93)


@pytest.mark.parametrize("role", [Role.STAFF, Role.GUARDIAN])
def test_staff_and_guardians_cannot_register(world: World, role: str) -> None:
    with pytest.raises(Forbidden):
        services.asset_create(
            access=access_for_user(world.a.people[role]),
            organisation=world.a.org,
            data=facts(world.a),
            locations=UK_SITE,
        )


def test_another_iao_cannot_change_my_asset(world: World) -> None:
    asset = make_asset(world.a)
    other = services.asset_create(
        access=access_for_user(world.a.people[Role.SIRO]),
        organisation=world.a.org,
        data=facts(world.a, reference="REF-2"),
        locations=UK_SITE,
    )
    assert other.owner == world.a.people[Role.IAO]
    with pytest.raises(Forbidden):
        services.asset_update(
            access=access_for_user(world.b.people[Role.IAO]),
            asset=asset,
            data={"name": "x"},
        )


def test_owner_must_be_an_iao_there(world: World) -> None:
    with pytest.raises(Invalid) as exc:
        make_asset(world.a, owner=world.b.people[Role.IAO])
    assert exc.value.errors == {
        "owner": "The owner must hold the Information Asset Owner role in "
        f"{world.a.org.name}"
    }
    with pytest.raises(Invalid):
        make_asset(world.a, owner=world.a.people[Role.STAFF])


def test_invalid_facts_name_each_field(world: World) -> None:
    with pytest.raises(Invalid) as exc:
        make_asset(
            world.a,
            name="",
            individuals=-1,
            categories=["nonsense"],
            legal_basis="whim",
            review_due=None,
        )
    assert exc.value.errors == {
        "name": "Enter the asset's name",
        "legal_basis": "Choose the legal basis for processing",
        "categories": "Choose each category of data from the list",
        "individuals": "The number of people cannot be negative",
        "review_due": "Enter the date of the next review",
    }
    assert not Asset.objects.exists()


def test_reference_is_unique_in_the_organisation(world: World) -> None:
    make_asset(world.a)
    with pytest.raises(Invalid) as exc:
        make_asset(world.a)
    assert "already registered" in exc.value.errors["reference"]
