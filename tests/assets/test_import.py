"""Import of a department's register: column mapping, a dry run that
lists every problem by row and column, all or nothing, and re-imports
recognised."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import Workbook

from steward.assets import importing
from steward.assets.models import Asset, Change, Import
from steward.audit.models import AuditEvent
from steward.organisations.models import Role
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db

HEADER = [h for _, h, _ in importing.COLUMNS]


def _row(ref: str, **over: str) -> list[str]:
    base = dict(zip(HEADER, next(_template_rows()), strict=True))
    base |= {"Reference": ref, "Name": f"Asset {ref}",
             "Owner email": "iao@alpha.example"}  # fmt: skip
    base |= over
    return [base[h] for h in HEADER]


def _template_rows():  # type: ignore[no-untyped-def]
    rows = importing.rows_of_template()
    next(rows)
    return rows


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def _check(world: World, data: bytes, name: str = "r.csv"):  # type: ignore[no-untyped-def]
    from steward.organisations.access import access_for_user

    headers, rows = importing.read_table(data, name)
    return importing.check(
        access=access_for_user(world.a.people[Role.IAO]),
        organisation=world.a.org,
        headers=headers,
        rows=rows,
        mapping=importing.guess_mapping(headers),
        digest=importing.file_digest(data),
    )


def test_bad_rows_are_each_reported_by_row_and_column(world: World) -> None:
    data = _csv(
        [
            _row("A-1"),
            _row("A-2", **{"Number of people": "many", "Country": "XX"}),
            _row("A-3", **{"Owner email": "staff@alpha.example"}),
            _row("A-1"),
            _row("A-5", **{"Legal basis": "whim", "Review due": "soon",
                           "Categories of data": "Health; gossip"}),
        ]
    )  # fmt: skip
    checked = _check(world, data)
    A = world.a.org.name
    assert [(p.row, p.column, p.reason) for p in checked.problems] == [
        (3, "Number of people", "'many' is not a whole number"),
        (3, "Country",
         "Location 1: enter a two-letter country code, like GB or FR"),
        (4, "Owner email",
         f"No Information Asset Owner with this email address in {A}"),
        (5, "Reference", "Same reference as row 2"),
        (6, "Legal basis", "'whim' is not one of the allowed values"),
        (6, "Categories of data", "'gossip' is not one of the allowed values"),
        (6, "Review due", "Enter a date like 2027-03-31 or 31/03/2027"),
    ]  # fmt: skip
    assert checked.ready == []


def test_web_import_of_a_bad_file_imports_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in_client(world.a.people[Role.IAO])
    data = _csv([_row("A-1"), _row("A-2", **{"Encrypted at rest": "maybe"})])
    upload = io.BytesIO(data)
    upload.name = "register.csv"
    response = client.post(
        "/assets/import/", {"organisation": "alpha", "file": upload}
    )
    assert response["Location"] == "/assets/import/map/"
    page = client.get("/assets/import/map/").content.decode()
    assert "Match the columns" in page
    mapping = {
        f"map_{f}": str(i) for i, (f, _, _) in enumerate(importing.COLUMNS)
    }
    # The commit runs in the background (here at once, on commit) and the
    # page that follows it shows the outcome.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/assets/import/map/", mapping | {"commit": "1"}
        )
    assert response["Location"].startswith("/assets/import/jobs/")
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page
    assert "Encrypted at rest" in page and "Enter yes or no" in page
    assert not Asset.objects.exists()


def test_good_file_imports_all_and_reimport_is_detected(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in_client(world.a.people[Role.IAO])
    rows = [_row(f"A-{i}") for i in range(1, 6)]
    rows.append(_row("A-6", **{"Organisation code": "alpha-agency",
                               "System": "One; Two", "Country": "GB; IN",
                               "Transfer mechanism": "IDTA"}))  # fmt: skip
    data = _csv(rows)

    def upload(content: bytes, name: str = "register.csv") -> str:
        f = io.BytesIO(content)
        f.name = name
        client.post("/assets/import/", {"organisation": "alpha", "file": f})
        mapping = {
            f"map_{f}": str(i) for i, (f, _, _) in enumerate(importing.COLUMNS)
        }
        dry = client.post("/assets/import/map/", mapping).content.decode()
        assert not Asset.objects.filter(reference="X").exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/assets/import/map/", mapping | {"commit": "1"}
            )
        page = client.get(response["Location"], follow=True)
        return page.content.decode(), dry

    before = AuditEvent.objects.count()
    page, dry = upload(data)
    assert "6 assets are ready to import" in " ".join(dry.split()).replace(
        "<strong>", ""
    ).replace("</strong>", "")
    assert "6 assets imported" in page
    assert Asset.objects.count() == 6
    # One event for asking (the background job), one for the import.
    assert list(
        AuditEvent.objects.order_by("pk")[before:].values_list(
            "action", flat=True
        )
    ) == ["asset.import_job", "asset.import"]
    assert Change.objects.filter(action="asset.import").count() == 6
    six = Asset.objects.get(reference="A-6")
    assert six.organisation == world.a.agency
    assert six.offshore and six.transfer_ok and six.locations.count() == 2
    # The same file again: refused, nothing duplicated.
    page, dry = upload(data)
    assert "already been imported" in dry
    assert Asset.objects.count() == 6
    # The same rows in another file (XLSX): recognised as already there.
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows + [_row("A-7")]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    page, dry = upload(buf.getvalue(), "register.xlsx")
    assert "6 rows are already in the register" in " ".join(dry.split())
    assert "1 assets imported; 6 already in the register" in page
    assert Asset.objects.count() == 7
    assert Import.objects.count() == 2


def test_mapping_renamed_columns(world: World) -> None:
    header = [h.upper().replace(" ", "_") for h in HEADER]
    header[0] = "Asset ID"
    checked_map = importing.guess_mapping(header)
    assert checked_map["reference"] is None
    assert checked_map["name"] == 1
    data = _csv([_row("A-1")], header=header)
    checked = _check(world, data)
    assert [(p.column, p.reason) for p in checked.problems] == [
        ("Reference", "No column of the file is mapped to this")
    ]


def test_unreadable_files(world: World) -> None:
    with pytest.raises(importing.FileError, match="not a readable XLSX"):
        importing.read_table(b"not a zip", "x.xlsx")
    with pytest.raises(importing.FileError, match="not UTF-8"):
        importing.read_table(b"\xff\xfe\x00bad", "x.csv")


def test_templates_are_published(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    text = client.get("/assets/import/template.csv").content.decode()
    assert text.startswith("\ufeffReference,Name")
    assert client.get("/assets/import/template.xlsx").content[:2] == b"PK"


def test_staff_cannot_import(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    assert client.get("/assets/import/").status_code == 403
