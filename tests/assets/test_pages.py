"""The register's pages: list with filters, detail with history,
register/change/close forms, my assets and the SIRO's overview."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.assets.models import Asset, Status
from steward.organisations.models import Role
from tests.assets.factories import make_asset
from tests.world import MARKER, World, signed_in_client

pytestmark = pytest.mark.django_db


def _form(world: World, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "organisation": world.a.org.code,
        "reference": "NEW-1",
        "name": "Pension claims",
        "owner": str(world.a.people[Role.IAO].pk),
        "legal_basis": "public_task",
        "data_subjects": ["claimants"],
        "categories": ["identifiers", "ni_number"],
        "individuals": "1000",
        "records": "1200",
        "marking": "official",
        "encrypted_at_rest": "on",
        "location_system": "Pensions DB",
        "location_country": "GB",
        "backup_medium": "tape",
        "retention": "6 years",
        "review_due": "2027-03-31",
    }
    data.update(overrides)
    return data


def test_iao_registers_an_asset(world: World) -> None:
    client = signed_in_client(world.a.people[Role.IAO])
    assert client.get("/assets/new/").status_code == 200
    response = client.post("/assets/new/", _form(world))
    asset = Asset.objects.get(reference="NEW-1")
    assert response.status_code == 302
    assert response["Location"] == f"/assets/{asset.pk}/"
    assert asset.is_ppd and asset.risk == "high"  # unencrypted backups
    page = client.get(f"/assets/{asset.pk}/").content.decode()
    assert "Pension claims" in page
    assert "Backups are not encrypted" in page
    assert "How the risk rating is worked out" in page
    assert "registered it" in page


def test_form_errors_are_summarised(world: World) -> None:
    client = signed_in_client(world.a.people[Role.IAO])
    response = client.post(
        "/assets/new/", _form(world, name="", individuals="lots")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the asset" in page and "s name" in page
    assert "Enter the number of people as a whole number" in page
    assert not Asset.objects.exists()


def test_edit_shows_history_before_and_after(world: World) -> None:
    asset = make_asset(world.a)
    client = signed_in_client(world.a.people[Role.IAO])
    assert client.get(f"/assets/{asset.pk}/change/").status_code == 200
    data = _form(world, reference=asset.reference, individuals="999")
    data["categories"] = ["identifiers"]
    data["reason"] = "Fewer people"
    response = client.post(f"/assets/{asset.pk}/change/", data)
    assert response.status_code == 302
    page = client.get(f"/assets/{asset.pk}/").content.decode()
    assert "changed it" in page
    assert "Reason: Fewer people" in page
    assert "5,000" in page and "999" in page


def test_close_page(world: World) -> None:
    asset = make_asset(world.a)
    client = signed_in_client(world.a.people[Role.SIRO])
    response = client.post(f"/assets/{asset.pk}/close/", {"reason": ""})
    assert "Enter why the asset is being closed" in response.content.decode()
    client.post(f"/assets/{asset.pk}/close/", {"reason": "Replaced"})
    asset.refresh_from_db()
    assert asset.status == Status.CLOSED
    page = client.get(f"/assets/{asset.pk}/").content.decode()
    assert "closed it" in page


def test_list_filters_and_sorts(world: World) -> None:
    make_asset(world.a, reference="A1", name="Alpha small", individuals=10,
               categories=["identifiers"])  # fmt: skip
    make_asset(world.a, reference="A2", name="Alpha offshore",
               locations=[{"system": "CRM", "country": "IN"}])  # fmt: skip
    make_asset(world.a, reference="A3", name="Alpha overdue",
               review_due=dt.date(2020, 1, 1))  # fmt: skip
    client = signed_in_client(world.a.people[Role.STAFF])

    def names(query: str) -> list[str]:
        page = client.get("/assets/?" + query).content.decode()
        return [n for n in ("Alpha small", "Alpha offshore", "Alpha overdue")
                if n in page]  # fmt: skip

    assert names("") == ["Alpha small", "Alpha offshore", "Alpha overdue"]
    assert names("ppd=no") == ["Alpha small"]
    assert names("offshore=yes") == ["Alpha offshore"]
    assert names("country=IN") == ["Alpha offshore"]
    assert names("overdue=yes") == ["Alpha overdue"]
    assert names("q=small") == ["Alpha small"]
    assert names("risk=high") == ["Alpha offshore"]
    assert names(f"organisation={world.a.agency.code}") == []
    assert names("classification=secret") == []
    page = client.get("/assets/?sort=-name").content.decode()
    assert page.index("Alpha small") < page.index("Alpha offshore")


def test_list_says_why_it_is_empty(world: World) -> None:
    iao = signed_in_client(world.a.people[Role.IAO])
    page = iao.get("/assets/").content.decode()
    assert "No active assets are registered" in page
    assert 'href="/assets/import/">import your register' in page
    staff = signed_in_client(world.a.people[Role.STAFF])
    assert "Register an asset" not in staff.get("/assets/").content.decode()
    make_asset(world.a, reference="A1", name="Alpha small")
    page = iao.get("/assets/?q=nothing-like-it").content.decode()
    assert "No assets match these filters" in page
    assert 'href="/assets/">Clear the filters' in page


def test_big_numbers_have_separators(world: World) -> None:
    asset = make_asset(world.a, individuals=25_000_000, records=25_400_000)
    client = signed_in_client(world.a.people[Role.STAFF])
    page = client.get(f"/assets/{asset.pk}/").content.decode()
    assert ">25,000,000<" in page and ">25,400,000<" in page


def test_list_pages_at_50(world: World) -> None:
    for i in range(55):
        make_asset(world.a, reference=f"R{i:03}", name=f"Asset {i:03}")
    client = signed_in_client(world.a.people[Role.STAFF])
    first = client.get("/assets/").content.decode()
    assert "Asset 049" in first and "Asset 050" not in first
    assert "Showing 1 to 50 of 55" in first
    second = client.get("/assets/?page=2").content.decode()
    assert "Asset 050" in second


def test_my_assets_and_review_tasks(world: World) -> None:
    today = dt.date.today()
    make_asset(world.a, reference="D", name="Due soon",
               review_due=today + dt.timedelta(days=5))  # fmt: skip
    make_asset(world.a, reference="L", name="Later",
               review_due=today + dt.timedelta(days=200))  # fmt: skip
    client = signed_in_client(world.a.people[Role.IAO])
    page = client.get("/assets/mine/").content.decode()
    tasks = page.split("Every asset you own")[0]
    assert "Due soon" in tasks and "Later" not in tasks
    assert "Later" in page
    other = signed_in_client(world.b.people[Role.IAO])
    assert "Due soon" not in other.get("/assets/mine/").content.decode()


def test_siro_overview_counts_the_subtree(world: World) -> None:
    make_asset(world.a, reference="1")
    make_asset(world.a, organisation=world.a.agency, reference="2",
               locations=[{"system": "S", "country": "FR"}])  # fmt: skip
    client = signed_in_client(world.a.people[Role.SIRO])
    page = client.get("/assets/overview/").content.decode()
    assert f"{MARKER} Revenue and everything under it" in page
    assert f"{MARKER} Revenue Agency" in page
    assert 'offshore=yes">1</a>' in page
    assert '?organisation=alpha">2</a>' in page
    staff = signed_in_client(world.a.people[Role.STAFF])
    assert staff.get("/assets/overview/").status_code == 403


def test_exports(world: World) -> None:
    make_asset(world.a)
    client = signed_in_client(world.a.people[Role.STAFF])
    response = client.get("/assets/export.csv?ppd=yes")
    text = response.content.decode()
    assert text.startswith("\ufeffReference,Name,Organisation code")
    assert f"{MARKER} claimant records" in text
    assert "iao@alpha.example" in text
    xlsx = client.get("/assets/export.xlsx")
    assert xlsx.content[:2] == b"PK"
    b_text = (
        signed_in_client(world.b.people[Role.SIRO])
        .get("/assets/export.csv")
        .content.decode()
    )
    assert MARKER not in b_text
