"""The check that each arm's-length body and contractor holding protected
personal data has a signed-off assessment for the current financial
year: met, partly met and not met from demo-like records (bodies under a
department, their registers, assessments started, answered and signed
off through the services), with figures that trace to the records."""

from __future__ import annotations

import pytest
from django.utils import timezone

from steward.controls.checks import Outcome, run_check
from steward.controls.periods import parse, year_of
from steward.controls.services import assessment_sign_off
from steward.organisations import services as org_services
from steward.organisations.access import access_for_user, system_access
from steward.organisations.models import Kind, Organisation, Role
from tests.assets.factories import make_asset
from tests.controls.factories import answer_all, start_assessment
from tests.world import World

NAME = "bodies-assessed-in-period"


def _body(w: World, code: str, kind: str, ppd: bool = True) -> Organisation:
    body = org_services.organisation_create(
        access=system_access("t"),
        code=code,
        name=f"Body {code}",
        kind=kind,
        parent=w.a.org,
    )
    make_asset(
        w.a,
        organisation=body,
        reference=f"{code}-1",
        # Contact details of a few hundred people are not protected
        # personal data.
        **({} if ppd else {"categories": ["contact"], "individuals": 300,
                           "records": 300}),
    )  # fmt: skip
    return body


def _assess(w: World, body: Organisation, period: str, sign: bool = True):  # type: ignore[no-untyped-def]
    assessment = start_assessment(w, organisation=body, period=period)
    answer_all(w, assessment)
    if sign:
        assessment_sign_off(
            access=access_for_user(w.a.people[Role.SIRO]),
            assessment=assessment,
        )
    return assessment


def _run(w: World):  # type: ignore[no-untyped-def]
    return run_check(
        NAME,
        access=access_for_user(w.a.people[Role.SIRO]),
        organisation=w.a.org,
    )


THIS_YEAR = year_of(timezone.localdate()).code


@pytest.mark.django_db
def test_bodies_check_met_partly_not_met(world: World) -> None:
    # An agency and a body without personal data are not counted.
    make_asset(world.a, organisation=world.a.agency, reference="AG-1")
    _body(world, "alpha-stats", Kind.ALB, ppd=False)
    assert _run(world).outcome == Outcome.NOT_APPLICABLE

    alb = _body(world, "alpha-alb", Kind.ALB)
    contractor = _body(world, "alpha-courier", Kind.CONTRACTOR)
    # Not met: one assessment still in progress, the other signed off for
    # a year long gone.
    _assess(world, alb, THIS_YEAR, sign=False)
    _assess(world, contractor, "2008-09")
    result = _run(world)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.NOT_MET,
        2,
        2,
    )
    assert result.summary == (
        "2 of 2 arm's-length bodies and contractors holding protected "
        f"personal data have no signed-off assessment for {THIS_YEAR}"
    )
    # The figures trace to the bodies: each failing one links to its
    # assessments.
    assert (
        result.links["Body alpha-alb"]
        == "/assessments/organisations/alpha-alb/"
    )
    assert result.links["Body alpha-courier"] == (
        "/assessments/organisations/alpha-courier/"
    )

    # Partly met: the contractor is assessed for a quarter of this year.
    quarter = parse(f"{THIS_YEAR} Q1").code
    _assess(world, contractor, quarter)
    result = _run(world)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.PARTLY_MET,
        2,
        1,
    )
    assert "Body alpha-alb" in result.links
    assert "Body alpha-courier" not in result.links

    # Met: the body's in-progress assessment is signed off.
    from steward.controls.models import Assessment

    assessment_sign_off(
        access=access_for_user(world.a.people[Role.SIRO]),
        assessment=Assessment.objects.get(organisation=alb, period=THIS_YEAR),
    )
    result = _run(world)
    assert (result.outcome, result.applicable, result.failing) == (
        Outcome.MET,
        2,
        0,
    )


@pytest.mark.django_db
def test_bodies_check_sees_only_the_subtree(world: World) -> None:
    _body(world, "alpha-alb", Kind.ALB)
    b_result = run_check(
        NAME,
        access=access_for_user(world.b.people[Role.SIRO]),
        organisation=world.b.org,
    )
    assert b_result.outcome == Outcome.NOT_APPLICABLE
    whole = run_check(NAME, access=system_access("t"), organisation=world.root)
    assert (whole.applicable, whole.failing) == (1, 1)
