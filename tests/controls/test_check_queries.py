"""Every registered check runs the same number of SQL queries whatever the
number of assets (and procedures, scans and organisations) it looks at:
counted at 10 assets and again at 200, for a department's SIRO and for
the central team at the root. Times are measured in
``bench/checks_bench.py``, never here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.assets.models import Asset, Location
from steward.controls.checks import REGISTRY, run_check
from steward.organisations.access import Access, access_for_user, system_access
from steward.organisations.models import Organisation, Role
from tests.assets.factories import make_asset
from tests.controls.factories import load_catalogue, make_procedure
from tests.world import World


def _grow(w: World, template: Asset, start: int, count: int) -> None:
    """``count`` more assets cloned from ``template`` with varied facts
    (some failing each check), half in the department, half in its
    agency; bulk-created, as the services would take too long here."""
    clones = []
    today = dt.date.today()
    for i in range(start, start + count):
        clone = Asset.objects.get(pk=template.pk)
        clone.pk = None
        clone.reference = f"Q-{i:05}"
        clone.organisation = w.a.agency if i % 2 else w.a.org
        clone.encrypted_at_rest = i % 3 != 0
        clone.backup_encrypted = i % 5 != 0
        clone.offshore = i % 7 == 0
        clone.transfer_ok = i % 14 != 0
        clone.review_due = today + dt.timedelta(days=(i % 11) - 5)
        clones.append(clone)
    made = Asset.objects.bulk_create(clones)
    Location.objects.bulk_create(
        Location(asset=a, system="CRM", country="GB") for a in made
    )


def _counts(access: Access, organisation: Organisation) -> dict[str, int]:
    counts = {}
    for name in REGISTRY:
        with CaptureQueriesContext(connection) as queries:
            run_check(name, access=access, organisation=organisation)
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_queries_per_check_do_not_grow_with_assets(world: World) -> None:
    load_catalogue()
    make_procedure(world)
    template = make_asset(world.a, reference="T-0")
    _grow(world, template, 1, 9)
    siro = access_for_user(world.a.people[Role.SIRO])
    central = system_access("t")
    assert (
        Asset.objects.filter(
            organisation__path__startswith=world.a.org.path
        ).count()
        == 10
    )
    small = (_counts(siro, world.a.org), _counts(central, world.root))

    _grow(world, template, 10, 190)
    make_procedure(
        world,
        urns=("urn:steward:dhp2008:training", "urn:steward:dhp2008:roles"),
        title="Training",
    )
    assert (
        Asset.objects.filter(
            organisation__path__startswith=world.a.org.path
        ).count()
        == 200
    )
    large = (_counts(siro, world.a.org), _counts(central, world.root))

    assert small == large
    # And the count is small: one query to find the organisation in
    # reach, and one to three for the check itself.
    for counts in large:
        assert set(counts) == set(REGISTRY)
        assert max(counts.values()) <= 4, counts


@pytest.mark.django_db
def test_check_figures_change_with_assets(world: World) -> None:
    """The counted queries are the ones doing the work: the figures move
    as assets are added, so a check is not answering from a cache."""
    template = make_asset(world.a, reference="T-0")
    siro = access_for_user(world.a.people[Role.SIRO])
    before = run_check(
        "ppd-encrypted-at-rest", access=siro, organisation=world.a.org
    )
    _grow(world, template, 1, 30)
    after = run_check(
        "ppd-encrypted-at-rest", access=siro, organisation=world.a.org
    )
    assert (before.applicable, before.failing) == (1, 0)
    assert (after.applicable, after.failing) == (31, 10)
