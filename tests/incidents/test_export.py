"""The breach register as CSV and XLSX: what the viewer can see, with
the annual-accounts category; the same from the API; outsiders get
nothing of another department."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from steward.incidents import services
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.incidents.factories import ENCRYPTED, graded, report
from tests.world import MARKER, World, signed_in_client

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_guardian_downloads_the_register_as_csv(world: World) -> None:
    notified = graded(world.a)
    services.notification_make(
        access=access_for_user(world.a.people[Role.GUARDIAN]),
        incident=notified,
        recipient="ico",
        phase="initial",
    )
    graded(world.a, ENCRYPTED)
    graded(world.b)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    response = client.get(reverse("incidents:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="breach-register-' in response["Content-Disposition"]
    rows = _csv(response)
    assert len(rows) == 2
    by_ref = {r["Reference"]: r for r in rows}
    row = by_ref[notified.reference]
    assert row["Annual-report category"].startswith(
        "II. Loss of inadequately protected electronic equipment"
    )
    assert row["Notifiable to the ICO"] == "yes"
    assert row["First ICO notification (UK time)"] != ""
    assert row["Notified after 72 hours"] == "no"
    assert row["Organisation"] == world.a.org.name
    # The reporter's free description stays out of the spreadsheet.
    assert "Left on the back seat" not in response.content.decode()
    assert "Bravo" not in response.content.decode()


def test_filters_apply_to_the_export(world: World) -> None:
    graded(world.a)
    graded(world.a, ENCRYPTED)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    rows = _csv(
        client.get(reverse("incidents:export_csv"), {"notifiable": "no"})
    )
    assert [r["Notifiable to the ICO"] for r in rows] == ["no"]


def test_xlsx_export(world: World) -> None:
    incident = graded(world.a)
    client = signed_in_client(world.a.people[Role.SIRO])
    response = client.get(reverse("incidents:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content))["Breach register"]
    values = list(sheet.values)
    assert values[0][0] == "Reference"
    assert values[1][0] == incident.reference
    assert "Annual-report category" in values[0]


def test_staff_export_only_what_they_reported(world: World) -> None:
    report(world.a)
    report(world.a, access=access_for_user(world.a.people[Role.IAO]))
    client = signed_in_client(world.a.people[Role.STAFF])
    assert len(_csv(client.get(reverse("incidents:export_csv")))) == 1


def test_outsiders_export_nothing_of_department_a(world: World) -> None:
    graded(world.a)
    for user in (world.b.people[Role.SIRO], world.b.people[Role.GUARDIAN]):
        response = signed_in_client(user).get(reverse("incidents:export_csv"))
        assert MARKER not in response.content.decode()
        assert _csv(response) == []
    assert (
        signed_in_client(world.auditor)
        .get(reverse("incidents:export_csv"))
        .status_code
        == 403
    )


def test_api_export(world: World) -> None:
    graded(world.a)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    response = client.get(reverse("api:incident_export"))
    assert response["Content-Disposition"] == (
        'attachment; filename="breach-register.csv"'
    )
    assert len(_csv(response)) == 1
    xlsx = client.get(reverse("api:incident_export"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert (
        client.get(
            reverse("api:incident_export"), {"format": "pdf"}
        ).status_code
        == 422
    )
