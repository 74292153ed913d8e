"""The demo government's assessments: two periods for the fully staffed
departments, so that trends and the cross-government view show
something, and every figure comes from the records."""

from __future__ import annotations

import pytest

from steward import demo
from steward.actions.models import Action
from steward.controls import selectors
from steward.controls.demo_data import ASSESSED, SIGNED_THIS_YEAR
from steward.controls.models import Assessment, Evidence, Finding
from steward.organisations.access import access_for_user
from steward.organisations.models import Organisation, Role


@pytest.mark.django_db
def test_demo_assessments_tell_the_story() -> None:
    demo.load()
    assert Assessment.objects.count() == 2 * len(ASSESSED)
    periods = sorted({a.period for a in Assessment.objects.all()})
    assert len(periods) == 2
    previous, current = periods
    signed = set(
        Assessment.objects.filter(
            period=current, status="signed_off"
        ).values_list("organisation__code", flat=True)
    )
    assert signed == SIGNED_THIS_YEAR
    assert not Assessment.objects.filter(
        period=previous, status="in_progress"
    ).exists()
    # Findings have action plans, some overdue, last year's done.
    assert Action.objects.filter(source_kind="finding").exists()
    assert any(a.is_overdue for a in Action.objects.all())
    assert Finding.objects.filter(status="open").exists()
    # Last year's findings were put right, their actions done.
    assert not Finding.objects.filter(
        assessment__period=previous, status="open"
    ).exists()
    assert Evidence.objects.filter(kind="file").exists()

    from steward.accounts.models import User

    central = access_for_user(User.objects.get(email__startswith="central@"))
    rows = selectors.government_position(
        access=central, framework="dhp2008", periods=[previous, current]
    )
    by = {r.department.code: r for r in rows}
    assert len(rows) == len(demo.DEPARTMENTS)
    assert all(by[c].cells[0].assessment for c in ASSESSED)
    assert by["cps"].cells[0].assessment is None  # not assessed
    # Most assessed departments improved on last year.
    better = sum(
        1
        for c in ASSESSED
        if (by[c].cells[1].tally.score or 0)
        >= (by[c].cells[0].tally.score or 0)
    )
    assert better > len(ASSESSED) // 2
    hmrc = Organisation.objects.get(code="hmrc")
    siro = access_for_user(User.objects.get(email__startswith="siro.hmrc@"))
    trend = selectors.organisation_trend(
        access=siro, organisation=hmrc, framework="dhp2008"
    )
    assert [p.assessment.period for p in trend] == [previous, current]
    assert Role.SIRO in siro.roles
