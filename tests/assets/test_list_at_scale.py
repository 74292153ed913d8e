"""What keeps the register's list fast at 100,000 assets, checked for
behaviour (the figures themselves are in bench/assets_load.py): a count
that stops a few pages ahead, the table and filters rendered as the
Design System renders them, and PostgreSQL's trigram search indexes."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from steward.assets import forms, paging, selectors, views
from steward.assets.models import Asset
from steward.common import components
from steward.common.forms import render_field
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.assets.factories import make_asset
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db


def _assets(world: World, n: int) -> None:
    for i in range(n):
        make_asset(world.a, reference=f"R-{i}", name=f"Asset {i:02}")


def test_count_stops_a_few_pages_ahead(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assets(world, 9)
    qs = Asset.objects.order_by("name", "pk")
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    monkeypatch.setattr(paging, "LOOK_AHEAD", 1)
    first = paging.CappedPaginator(qs, 2, "1")
    # Reads 5 rows at most: 'more than 4', and a page beyond them.
    assert (first.limit, first.count, first.capped) == (4, 5, True)
    assert first.num_pages == 3
    # Further on, the count looks further ahead, up to the real end.
    later = paging.CappedPaginator(qs, 2, "4")
    assert (later.limit, later.count, later.capped) == (10, 9, False)
    assert later.get_page("5").object_list[0].name == "Asset 08"
    # Nonsense page numbers count from page 1.
    assert paging.CappedPaginator(qs, 2, "x").limit == 4


def test_list_page_says_more_than_when_the_count_stopped(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assets(world, 7)
    client = signed_in_client(world.a.people[Role.SIRO])
    page = " ".join(client.get("/assets/").content.decode().split())
    assert "Showing 1 to 7 of 7" in page
    monkeypatch.setattr(views, "PER_PAGE", 2)
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    monkeypatch.setattr(paging, "LOOK_AHEAD", 0)
    page = " ".join(client.get("/assets/").content.decode().split())
    assert "Showing 1 to 2 of more than 3" in page
    # The last page number shown would be a guess: an ellipsis instead.
    assert "?page=2" in page  # the next page
    assert "govuk-pagination__item--ellipsis" in page
    # The last page, once reached, is counted exactly.
    page = " ".join(client.get("/assets/?page=4").content.decode().split())
    assert "Showing 7 to 7 of 7" in page


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def test_table_is_the_design_system_table(world: World) -> None:
    make_asset(world.a, individuals=1_234_567, name='Tom & Jerry\'s "<b>"')
    assets = list(Asset.objects.select_related("organisation", "owner").all())
    table = {
        "caption": "Information assets",
        "captionClasses": "govuk-visually-hidden",
        "head": views._HEAD,
        "rows": views._rows(assets),
    }
    ours = views.table_html(table)
    assert _normal(ours) == _normal(components.render("table", table))
    assert "Tom &amp; Jerry&#x27;s &quot;&lt;b&gt;&quot;" in ours
    # Text is escaped as the macro escapes it; safe HTML passes as is.
    odd = {
        "caption": "A & B",
        "head": [{"text": "<Name>"}, {"text": "'n'", "format": "numeric"}],
        "rows": [
            [
                {"text": 'Tom & "Jerry" <i>'},
                {"html": mark_safe("<b>bold</b>"), "format": "numeric"},
            ],
            [{"text": None}, {"text": "0"}],
        ],
    }
    assert _normal(views.table_html(odd)) == _normal(
        components.render("table", odd)
    )
    assert "govuk-table__cell--numeric" in ours


def test_filter_fields_are_the_design_system_fields(world: World) -> None:
    access = access_for_user(world.a.people[Role.SIRO])
    request = RequestFactory().get(
        "/assets/", {"country": "IN", "q": "claims", "classification": "x"}
    )
    form = views._filter_form(request, access)
    for _ in range(2):  # rendered, then from the kept copies
        fields = views._filter_fields(form)
        assert fields == {bf.name: render_field(bf) for bf in form}
    # A field with an error is rendered afresh, with its error.
    assert "govuk-error-message" in fields["classification"]
    assert isinstance(form, forms.FilterForm)


def test_country_filter_finds_locations_and_backups(world: World) -> None:
    make_asset(world.a, reference="LOC", locations=[
        {"system": "S", "site": "", "country": "IN"}
    ])  # fmt: skip
    make_asset(world.a, reference="BAK", backup_country="IN")
    make_asset(world.a, reference="UK")
    access = access_for_user(world.a.people[Role.SIRO])
    found = selectors.asset_list(
        access=access, filters=selectors.Filters(country="in")
    )
    assert sorted(a.reference for a in found) == ["BAK", "LOC"]


def test_country_filter_for_the_uk_finds_assets_also_held_abroad(
    world: World,
) -> None:
    make_asset(world.a, reference="BOTH", locations=[
        {"system": "S", "site": "", "country": "GB"},
        {"system": "T", "site": "", "country": "IN"},
    ])  # fmt: skip
    make_asset(world.a, reference="ABROAD", backup_country="FR", locations=[
        {"system": "S", "site": "", "country": "FR"}
    ])  # fmt: skip
    access = access_for_user(world.a.people[Role.SIRO])
    found = selectors.asset_list(
        access=access, filters=selectors.Filters(country="GB")
    )
    assert sorted(a.reference for a in found) == ["BOTH"]


def test_only_a_viewer_of_every_organisation_lists_without_an_id_list(
    world: World,
) -> None:
    make_asset(world.a, reference="A")
    make_asset(world.b, reference="B")
    central = access_for_user(world.central)
    siro = access_for_user(world.a.people[Role.SIRO])
    assert selectors._in_scope(central) == Q()
    assert "organisation_id__in" in str(selectors._in_scope(siro))
    listed = {
        who: sorted(a.reference for a in selectors.asset_list(access=access))
        for who, access in (("central", central), ("siro", siro))
    }
    assert listed == {"central": ["A", "B"], "siro": ["A"]}


def _trigram_indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = "
                "'assets_asset' AND indexdef LIKE '%%gin_trgm_ops%%'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'assets_asset' AND name LIKE '%trgm%'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_search_has_trigram_indexes_on_postgresql(world: World) -> None:
    """PostgreSQL: a pg_trgm GIN index on each searched column, which the
    planner uses for the list's search; SQLite has no such index (its
    migration step does nothing there but ANALYZE)."""
    if connection.vendor != "postgresql":
        assert _trigram_indexes() == set()
        return
    assert _trigram_indexes() == {
        "assets_asset_name_trgm",
        "assets_asset_reference_trgm",
    }
    make_asset(world.a)
    # The search's own condition, as the selector writes it (Django's
    # icontains is UPPER(col::text) LIKE UPPER(%s)): with sequential
    # scans off, PostgreSQL answers it from the two trigram indexes, so
    # the indexes match the expression Django sends.
    qs = Asset.objects.filter(
        Q(name__icontains="claim") | Q(reference__icontains="claim")
    ).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
    assert "assets_asset_name_trgm" in plan
    assert "assets_asset_reference_trgm" in plan


def test_api_count_stops_early_and_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.test import Client

    _assets(world, 4)
    key = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    body = key.get("/api/v1/assets?limit=1").json()
    assert (body["count"], body["count_exact"]) == (4, True)
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    monkeypatch.setattr(paging, "LOOK_AHEAD", 1)
    body = key.get("/api/v1/assets?limit=1").json()
    assert (body["count"], body["count_exact"]) == (3, False)
    assert [a["name"] for a in body["items"]] == ["Asset 00"]
    # Asked for further on, it counts further: here to the real end.
    body = key.get("/api/v1/assets?limit=1&offset=3").json()
    assert (body["count"], body["count_exact"]) == (4, True)
    assert [a["name"] for a in body["items"]] == ["Asset 03"]
