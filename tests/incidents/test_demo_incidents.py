"""The demo loads incidents across departments, HMRC's discs first."""

from __future__ import annotations

import pytest

from steward import demo
from steward.incidents.models import Incident, Notification

pytestmark = pytest.mark.django_db


def test_demo_incidents() -> None:
    demo.load()
    discs = Incident.objects.get(summary__startswith="Two discs")
    assert discs.notifiable and discs.tell_subjects
    assert discs.annual_category == "outside"
    assert list(discs.assets.values_list("reference", flat=True)) == [
        "HMRC-CB-001"
    ]
    late = Notification.objects.get(incident=discs, recipient="ico")
    assert late.late and late.delay_reason
    stick = Incident.objects.get(summary__startswith="Encrypted")
    assert stick.notifiable is False
    assert stick.annual_category == "inside"
    assert Incident.objects.filter(organisation__code="dwp").count() == 1
    laptop = Incident.objects.get(summary="Laptop stolen from a car")
    assert laptop.notifiable and laptop.status == "graded"


def test_demo_themes_and_checks_tell_a_true_story() -> None:
    """A year of incidents across departments: the themes page counts
    them; the discs' lessons are shared; the checks find both good and
    late practice."""
    from steward.actions.models import Action
    from steward.controls.checks import Outcome, run_check
    from steward.incidents import selectors
    from steward.organisations.access import system_access
    from steward.organisations.models import Organisation

    demo.load()
    central = system_access("t")
    year = selectors.themes_for(access=central)
    assert year.total >= 10
    departments = dict(
        next(c for c in year.charts if c.id == "department").rows
    )
    assert len(departments) >= 7
    assert year.late >= 1 and year.notified >= 6
    every = selectors.themes_for(access=central, period_key="all")
    assert every.total == Incident.objects.count()
    discs = Incident.objects.get(summary__startswith="Two discs")
    assert discs.root_cause == "procedure_not_followed" and discs.share_lessons
    assert any(
        "physical media" in lesson["lessons"] for lesson in every.lessons
    )
    assert (
        Action.objects.filter(
            source_kind="incident", source_id=discs.pk
        ).count()
        == 2
    )
    root = Organisation.objects.get(code="gov")
    outcomes = {
        name: run_check(name, access=central, organisation=root).outcome
        for name in (
            "incidents-notified-in-72-hours",
            "incidents-graded-in-time",
            "incident-actions-on-time",
        )
    }
    assert outcomes == {
        "incidents-notified-in-72-hours": Outcome.PARTLY_MET,
        "incidents-graded-in-time": Outcome.PARTLY_MET,
        "incident-actions-on-time": Outcome.PARTLY_MET,
    }
