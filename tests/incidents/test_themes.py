"""Cross-government themes: the central team counts every department's
incidents by category, department, month, kind of data and time to
notify, with SVG charts that each have a table; a SIRO sees their own
subtree and other departments' shared lessons without the department;
nobody else sees themes; the period filter narrows the counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.common.errors import Forbidden
from steward.incidents import selectors, services, themes
from steward.incidents.models import Incident, Notification
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.incidents.factories import ENCRYPTED, graded, report
from tests.world import MARKER, World, signed_in_client

pytestmark = pytest.mark.django_db


def _notified(dept, hours: float, **facts):  # type: ignore[no-untyped-def]
    """A graded incident notified to the ICO ``hours`` after awareness."""
    aware = timezone.now() - dt.timedelta(days=20)
    incident = graded(
        dept, aware_at=aware, occurred_at=aware - dt.timedelta(hours=1)
    )
    note = services.notification_make(
        access=access_for_user(dept.people[Role.GUARDIAN]),
        incident=incident,
        recipient="ico",
        phase="initial",
        delay_reason="Reported to the guardian late",
    )
    Notification.objects.filter(pk=note.pk).update(
        made_at=incident.aware_at + dt.timedelta(hours=hours)
    )
    return incident


def _learn(dept, incident, share: bool, lessons: str) -> None:  # type: ignore[no-untyped-def]
    services.incident_learn(
        access=access_for_user(dept.people[Role.GUARDIAN]),
        incident=incident,
        root_cause="unencrypted",
        lessons=lessons,
        share_lessons=share,
    )


def _rows(chart: themes.Chart) -> dict[str, int]:
    return dict(chart.rows)


def _chart(result: themes.Themes, chart_id: str) -> themes.Chart:
    return next(c for c in result.charts if c.id == chart_id)


def test_central_counts_every_department(world: World) -> None:
    _notified(world.a, 10)
    _notified(world.a, 80)
    _notified(world.b, 30)
    graded(world.b, ENCRYPTED)  # not notifiable
    report(world.b)  # not yet graded
    result = selectors.themes_for(access=access_for_user(world.central))
    assert result.total == 5
    assert result.notifiable == 3
    assert (result.notified, result.late) == (3, 1)
    assert result.median_hours == pytest.approx(30)
    assert _rows(_chart(result, "department")) == {
        f"{MARKER} Revenue": 2,
        "Bravo Pensions": 3,
    }
    assert _rows(_chart(result, "category")) == {
        "I. Loss inside secured premises": 0,
        "II. Loss outside secured premises": 4,
        "III. Insecure disposal": 0,
        "IV. Unauthorised disclosure": 0,
        "V. Other": 0,
        "Not yet classified": 1,
    }
    assert _rows(_chart(result, "notify")) == {
        "Within 24 hours": 1,
        "24 to 48 hours": 1,
        "48 to 72 hours": 0,
        "72 hours to a week (late)": 1,
        "More than a week (late)": 0,
        "Notifiable, not yet notified": 0,
    }
    data = _rows(_chart(result, "data"))
    assert data["Special-category data"] == 4
    assert data["None of these"] == 1
    months = _chart(result, "month")
    assert len(months.rows) == 12
    assert sum(c for _, c in months.rows) == 5


def test_siro_sees_own_subtree_and_others_lessons_anonymously(
    world: World,
) -> None:
    a = _notified(world.a, 10)
    _learn(world.a, a, True, "Encrypt every laptop before issue")
    b = _notified(world.b, 10)
    _learn(world.b, b, True, "Check the courier's receipt")
    hidden = _notified(world.b, 12)
    _learn(world.b, hidden, False, "Not for sharing")
    result = selectors.themes_for(
        access=access_for_user(world.b.people[Role.SIRO])
    )
    assert result.total == 2
    assert _rows(_chart(result, "department")) == {"Bravo Pensions": 2}
    lessons = {lesson["lessons"]: lesson for lesson in result.lessons}
    assert set(lessons) == {
        "Encrypt every laptop before issue",
        "Check the courier's receipt",
    }
    assert lessons["Check the courier's receipt"]["organisation"] == (
        "Bravo Pensions"
    )
    assert lessons["Check the courier's receipt"]["pk"] == b.pk
    other = lessons["Encrypt every laptop before issue"]
    assert (other["organisation"], other["pk"], other["reference"]) == (
        "",
        None,
        "",
    )


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.IAO, Role.STAFF])
def test_others_do_not_see_themes(world: World, role: str) -> None:
    with pytest.raises(Forbidden):
        selectors.themes_for(access=access_for_user(world.a.people[role]))
    client = signed_in_client(world.a.people[role])
    assert client.get(reverse("incidents:themes")).status_code == 403


def test_the_regulator_does_not_see_themes(world: World) -> None:
    client = signed_in_client(world.auditor)
    assert client.get(reverse("incidents:themes")).status_code == 403
    assert client.get(reverse("api:incident_themes")).status_code == 403


def test_period_filter(world: World) -> None:
    old = graded(world.a)
    Incident.objects.filter(pk=old.pk).update(
        aware_at=dt.datetime(2007, 11, 8, 10, tzinfo=dt.UTC)
    )
    graded(world.a)
    access = access_for_user(world.central)
    assert selectors.themes_for(access=access).total == 1
    assert selectors.themes_for(access=access, period_key="all").total == 2
    fy2007 = selectors.themes_for(access=access, period_key="fy2007")
    assert fy2007.total == 1
    assert fy2007.period.label == "Financial year 2007–08"
    assert _rows(_chart(fy2007, "month"))["Nov 2007"] == 1
    keys = [p.key for p in selectors.themes_periods(access=access)]
    assert keys[0] == "12m" and keys[-1] == "all" and "fy2007" in keys
    # All time is counted by financial year.
    every = selectors.themes_for(access=access, period_key="all")
    assert _chart(every, "month").title == "Incidents by financial year"
    assert _rows(_chart(every, "month"))["2007–08"] == 1


def test_financial_years_start_in_april() -> None:
    options = themes.periods(dt.date(2026, 3, 31), dt.date(2025, 4, 1))
    assert [p.key for p in options] == ["12m", "fy2025", "all"]
    options = themes.periods(dt.date(2026, 4, 1), dt.date(2025, 4, 1))
    assert [p.key for p in options] == ["12m", "fy2026", "fy2025", "all"]


def test_page_draws_svg_charts_with_tables(world: World) -> None:
    _notified(world.a, 10)
    client = signed_in_client(world.central)
    response = client.get(reverse("incidents:themes"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") >= 7
    assert page.count('role="img"') >= 7
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "style=" not in main
    assert "<script" not in main
    assert page.count("Show the figures as a table") == 7
    # The bar of the only department is the longest possible.
    assert re.search(r'<rect x="270" y="5" width="300" height="20"', page)
    response = client.get(reverse("incidents:themes"), {"period": "nope"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_api_themes(world: World) -> None:
    _notified(world.a, 50)
    client = signed_in_client(world.central)
    body = client.get(reverse("api:incident_themes"), {"period": "all"}).json()
    assert body["total"] == 1 and body["notified"] == 1
    notify = next(c for c in body["charts"] if c["id"] == "notify")
    assert {"label": "48 to 72 hours", "count": 1} in notify["rows"]
    bad = client.get(reverse("api:incident_themes"), {"period": "x"})
    assert bad.status_code == 422
