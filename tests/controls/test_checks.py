"""The automated checks: met, partly met and not met from register-like
data, figures that trace to the records, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steward.controls.checks import REGISTRY, Outcome, run_check
from steward.controls.schema import read_catalogue
from steward.organisations.access import access_for_user, system_access
from steward.organisations.models import Role, SiroAppointment
from tests.assets.factories import make_asset
from tests.world import World

PAST = dt.date.today() - dt.timedelta(days=1)
# For each asset check: the facts of a failing asset.
FAILING: dict[str, dict[str, Any]] = {
    "ppd-review-in-date": {"review_due": PAST},
    "ppd-encrypted-at-rest": {"encrypted_at_rest": False},
    "ppd-backups-encrypted": {"backup_encrypted": False},
    "ppd-offshore-lawful": {
        "locations": [{"system": "CRM", "site": "Pune", "country": "IN"}]
    },
}


def test_every_check_evidences_requirements_that_exist() -> None:
    urns = {r.urn for f in read_catalogue().values() for r in f.requirements}
    for c in REGISTRY.values():
        assert c.requirements and set(c.requirements) <= urns, c.name


def _run(w: World, name: str) -> Any:
    return run_check(
        name,
        access=access_for_user(w.a.people[Role.SIRO]),
        organisation=w.a.org,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FAILING))
def test_asset_checks(world: World, name: str) -> None:
    assert _run(world, name).outcome == Outcome.NOT_APPLICABLE
    make_asset(world.a, reference="OK-1")
    assert _run(world, name).outcome == Outcome.MET
    make_asset(world.a, reference="BAD-1", **FAILING[name])
    partly = _run(world, name)
    assert (partly.outcome, partly.applicable, partly.failing) == (
        Outcome.PARTLY_MET,
        2,
        1,
    )
    assert any(
        f"organisation={world.a.org.code}" in link
        for link in partly.links.values()
    )


@pytest.mark.django_db
def test_review_check_needs_a_current_iao(world: World) -> None:
    """An owner whose IAO role was revoked no longer counts: the asset
    fails until someone with a current IAO role owns it. A role held in
    the department reaches the agency's assets."""
    from steward.organisations.models import Membership

    make_asset(world.a, reference="OK-1")
    make_asset(world.a, organisation=world.a.agency, reference="OK-2")
    assert _run(world, "ppd-review-in-date").outcome == Outcome.MET
    Membership.objects.filter(
        user=world.a.people[Role.IAO], role=Role.IAO
    ).update(revoked_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    result = _run(world, "ppd-review-in-date")
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.NOT_MET,
        2,
        2,
    )
    assert "2 without a current IAO" in result.summary
    assert "0 overdue" in result.summary


@pytest.mark.django_db
def test_asset_check_not_met(world: World) -> None:
    make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    result = _run(world, "ppd-encrypted-at-rest")
    assert result.outcome == Outcome.NOT_MET
    assert result.summary == (
        "1 of 1 protected personal data assets are not encrypted at rest"
    )


@pytest.mark.django_db
def test_siro_check(world: World) -> None:
    root = system_access("t")
    result = run_check("siro-appointed", access=root, organisation=world.root)
    assert result.outcome == Outcome.MET
    SiroAppointment.objects.filter(organisation=world.b.org).update(
        ended_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    partly = run_check("siro-appointed", access=root, organisation=world.root)
    assert (partly.outcome, partly.failing) == (Outcome.PARTLY_MET, 1)
    alone = run_check("siro-appointed", access=root, organisation=world.b.org)
    assert alone.outcome == Outcome.NOT_MET


@pytest.mark.django_db
def test_queries_do_not_grow_with_assets(
    world: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for i in range(6):
        make_asset(world.a, reference=f"R-{i}", encrypted_at_rest=i % 2 == 0)
    siro = access_for_user(world.a.people[Role.SIRO])
    # The scope check and at most three for the check itself (see also
    # test_check_queries.py: the same count at 10 and 200 assets).
    for name in REGISTRY:
        with django_assert_max_num_queries(4):
            run_check(name, access=siro, organisation=world.a.org)


@pytest.mark.django_db
def test_mandatory_coverage_check(world: World) -> None:
    from tests.controls.factories import load_catalogue, make_procedure

    assert _run(world, "mandatory-covered-by-procedure").outcome == (
        Outcome.NOT_APPLICABLE
    )
    load_catalogue()
    assert _run(world, "mandatory-covered-by-procedure").outcome == (
        Outcome.NOT_MET
    )
    make_procedure(world)
    result = _run(world, "mandatory-covered-by-procedure")
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.PARTLY_MET,
        24,
        23,
    )
