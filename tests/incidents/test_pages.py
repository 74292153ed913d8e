"""The incident pages: staff report in a few fields; guardians complete,
grade, override and notify; the register filters and pages; the incident
shows its clock; the regulator sees only notifications addressed to it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.incidents.models import Incident, Notification, Status
from steward.organisations.models import Role
from tests.incidents.factories import graded, report
from tests.world import MARKER, World, signed_in_client

pytestmark = pytest.mark.django_db

REPORT = {
    "organisation": "alpha",
    "summary": "Laptop stolen from a car",
    "description": "Taken from the back seat at a service station.",
    "aware_date": "2/3/2026",
    "aware_time": "14:30",
    "occurred_date": "1/3/2026",
    "data_involved": "Case notes",
    "people_estimate": "40",
}


def test_staff_report_an_incident(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    assert client.get(reverse("incidents:report")).status_code == 200
    response = client.post(reverse("incidents:report"), REPORT)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "incidents:detail", args=[incident.pk]
    )
    # 2:30pm GMT on 2 March 2026 (UTC); the deadline is 72 hours later.
    assert incident.aware_at.isoformat() == "2026-03-02T14:30:00+00:00"
    page = client.get(response["Location"]).content.decode()
    assert "Thursday 5 March 2026, 2:30pm GMT" in page
    assert "Overdue" in page


def test_report_shows_errors(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    response = client.post(
        reverse("incidents:report"),
        REPORT | {"summary": "", "aware_date": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter what happened in a few words" in page
    assert "Enter the date you found out as a real date" in page
    assert not Incident.objects.exists()


def test_regulator_cannot_report_or_see_the_register(world: World) -> None:
    client = signed_in_client(world.auditor)
    assert client.get(reverse("incidents:report")).status_code == 403
    assert client.get(reverse("incidents:list")).status_code == 403


def test_guardian_completes_grades_and_notifies(world: World) -> None:
    incident = report(world.a)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    url = reverse("incidents:complete", args=[incident.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "lost_device",
            "on_premises": "no",
            "vulnerable": "on",
            "individuals": "300",
            "records": "300",
            "containment": "Police told",
            "consequences": "Identity fraud",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("incidents:grade", args=[incident.pk]),
        {"likelihood": "4", "severity": "3"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.annual_category == "outside"
    assert incident.notifiable is True
    assert incident.tell_subjects is True  # vulnerable: adverse → serious
    page = client.get(reverse("incidents:detail", args=[incident.pk]))
    assert "Tell the people affected without undue delay" in (
        page.content.decode()
    )
    response = client.post(
        reverse("incidents:notify", args=[incident.pk]),
        {"recipient": "ico", "phase": "initial"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Status.NOTIFIED


def test_override_page_needs_a_reason(world: World) -> None:
    incident = graded(world.a)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    url = reverse("incidents:override", args=[incident.pk])
    response = client.post(url, {"notifiable": "no", "tell_subjects": "no"})
    assert "Enter why the grade is being overridden" in (
        response.content.decode()
    )
    response = client.post(
        url,
        {"notifiable": "no", "tell_subjects": "no", "reason": "Recovered"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.overridden and incident.notifiable is False


def test_staff_cannot_handle(world: World) -> None:
    incident = report(world.a)
    client = signed_in_client(world.a.people[Role.STAFF])
    assert client.get(
        reverse("incidents:detail", args=[incident.pk])
    ).status_code == 200
    for name in ("complete", "grade", "override", "notify"):
        url = reverse(f"incidents:{name}", args=[incident.pk])
        assert client.get(url).status_code == 403, name
    # Another member of staff's report is not shown to the IAO.
    iao = signed_in_client(world.a.people[Role.IAO])
    assert iao.get(
        reverse("incidents:detail", args=[incident.pk])
    ).status_code == 404


def test_register_filters_and_pages(world: World) -> None:
    graded(world.a)
    report(world.a, summary="Email to the wrong claimant")
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    page = client.get(reverse("incidents:list")).content.decode()
    assert "laptop stolen" in page and "wrong claimant" in page
    page = client.get(
        reverse("incidents:list"), {"notifiable": "yes"}
    ).content.decode()
    assert "laptop stolen" in page and "wrong claimant" not in page
    page = client.get(reverse("incidents:list"), {"q": "claimant"})
    assert "laptop stolen" not in page.content.decode()
    page = client.get(reverse("incidents:list"), {"page": "99"})
    assert page.status_code == 200


def test_register_says_why_it_is_empty(world: World) -> None:
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    page = client.get(reverse("incidents:list")).content.decode()
    assert "No incidents have been reported" in page
    assert "Clear the filters" not in page
    staff = signed_in_client(world.a.people[Role.STAFF])
    page = staff.get(reverse("incidents:list")).content.decode()
    assert "You have not reported any incidents" in page
    report(world.a, summary="Email to the wrong claimant")
    page = client.get(reverse("incidents:list"), {"q": "tape"}
                      ).content.decode()  # fmt: skip
    assert "No incidents match these filters" in page
    assert f'href="{reverse("incidents:list")}">Clear the filters' in page


def test_regulator_sees_only_ico_notifications(world: World) -> None:
    from steward.incidents import services
    from steward.organisations.access import access_for_user

    incident = graded(world.a)
    g = access_for_user(world.a.people[Role.GUARDIAN])
    ico = services.notification_make(
        access=g, incident=incident, recipient="ico", phase="initial"
    )
    co = services.notification_make(
        access=g, incident=incident, recipient="cabinet_office",
        phase="initial",
    )  # fmt: skip
    client = signed_in_client(world.auditor)
    listing = client.get(reverse("incidents:notifications")).content.decode()
    assert reverse("incidents:notification", args=[ico.pk]) in listing
    assert reverse("incidents:notification", args=[co.pk]) not in listing
    page = client.get(reverse("incidents:notification", args=[ico.pk]))
    assert "Likely consequences" in page.content.decode()
    assert client.get(
        reverse("incidents:notification", args=[co.pk])
    ).status_code == 404
    assert client.get(
        reverse("incidents:detail", args=[incident.pk])
    ).status_code == 403
    central = signed_in_client(world.central)
    listing = central.get(reverse("incidents:notifications")).content.decode()
    assert reverse("incidents:notification", args=[co.pk]) in listing
    assert Notification.objects.count() == 2
    assert MARKER in page.content.decode()  # A's own name, sent to the ICO


def test_home_shows_open_incidents_with_their_clocks(world: World) -> None:
    incident = graded(world.a)
    page = signed_in_client(world.a.people[Role.GUARDIAN]).get("/")
    text = page.content.decode()
    assert "Incidents awaiting notification" in text
    assert reverse("incidents:detail", args=[incident.pk]) in text
    assert "left: notify the ICO by" in text
    other = signed_in_client(world.b.people[Role.GUARDIAN]).get("/")
    assert "Incidents awaiting notification" not in other.content.decode()
