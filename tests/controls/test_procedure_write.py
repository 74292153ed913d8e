"""Recording, changing, reviewing and withdrawing a procedure from its
pages and the API: the document checked and kept, every change in the
procedure's history, one audit event per change, scoped to the keepers
of the organisation's procedures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from steward.audit.models import AuditEvent
from steward.controls import selectors
from steward.controls.models import Procedure, ProcedureStatus
from steward.controls.procedure_models import (
    ProcedureChange,
    ProcedureDocument,
)
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.controls.factories import load_catalogue, make_procedure
from tests.world import World, signed_in_client

M = "urn:steward:dhp2008:"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _next_year() -> str:
    return (timezone.localdate() + dt.timedelta(days=365)).isoformat()


def _form(w: World, **extra: object) -> dict[str, object]:
    return {
        "title": "Removable media and encryption",
        "version": "1.0",
        "owner": str(w.a.people[Role.GUARDIAN].pk),
        "next_review": _next_year(),
        "requirements": [M + "removable-media", M + "protective-measures"],
        "other": "ISO27001 7.10\nCAF B3.c",
        **extra,
    }


@pytest.mark.django_db
def test_guardian_records_a_procedure_with_its_document(world: World) -> None:
    load_catalogue()
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    page = client.get(f"/standards/procedures/{world.a.org.code}/")
    assert "Record a procedure" in page.content.decode()
    before = AuditEvent.objects.count()
    response = client.post(
        f"/standards/procedures/{world.a.org.code}/new/",
        _form(world, document=SimpleUploadedFile("Media policy.pdf", PDF)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure = Procedure.objects.get(organisation=world.a.org)
    assert response["Location"] == f"/standards/procedure/{procedure.pk}/"
    assert sorted(procedure.links.values_list("urn", flat=True)) == [
        "urn:steward:caf:b3.c",
        M + "protective-measures",
        M + "removable-media",
        "urn:steward:iso27001:a.7.10",
    ]
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == "procedure.create"
    document = ProcedureDocument.objects.get(procedure=procedure)
    assert document.filename == "Media policy.pdf"
    assert event.details["sha256"] == document.sha256
    # Stored by digest, never by the uploaded name.
    assert "Media policy" not in document.file.name
    detail = client.get(response["Location"]).content.decode()
    assert "Removable media and encryption" in detail
    assert "Recorded" in detail
    assert "Media policy.pdf" in detail
    download = client.get(
        f"/standards/procedure/{procedure.pk}/document/{document.pk}/"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    # The coverage view links to it and counts it.
    coverage = client.get(f"/standards/procedures/{world.a.org.code}/")
    assert f"/standards/procedure/{procedure.pk}/" in coverage.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "The file must be PDF"),
        ("policy.pdf", b"MZ\x90\x00", "The file is not a real .pdf file"),
        ("policy.pdf", b"", "The submitted file is empty"),
    ],
)
def test_a_bad_document_changes_nothing(
    world: World, name: str, data: bytes, message: str
) -> None:
    load_catalogue()
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    before = AuditEvent.objects.count()
    response = client.post(
        f"/standards/procedures/{world.a.org.code}/new/",
        _form(world, document=SimpleUploadedFile(name, data)),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert not Procedure.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_document_over_the_limit_is_refused(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    from steward.controls import evidence

    load_catalogue()
    procedure = make_procedure(world)
    client = signed_in_client(world.a.people[Role.SIRO])
    big = PDF + b"0" * evidence.MAX_BYTES
    response = client.post(
        f"/standards/procedure/{procedure.pk}/document/",
        {"document": SimpleUploadedFile("big.pdf", big)},
    )
    assert response.status_code == 200
    assert "The file must be smaller than 10 MB" in response.content.decode()
    assert not ProcedureDocument.objects.exists()


@pytest.mark.django_db
def test_unknown_requirements_are_named(world: World) -> None:
    load_catalogue()
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    response = client.post(
        f"/standards/procedures/{world.a.org.code}/new/",
        _form(world, other="ISO27001 99.99", next_review=""),
    )
    body = response.content.decode()
    assert (
        "No such requirement in the current catalogue: ISO27001 99.99" in body
    )
    assert "Enter the date of the next review" in body
    assert not Procedure.objects.exists()


@pytest.mark.django_db
def test_edit_review_upload_withdraw_keep_history(world: World) -> None:
    load_catalogue()
    procedure = make_procedure(world)
    client = signed_in_client(world.a.people[Role.SIRO])
    base = f"/standards/procedure/{procedure.pk}/"
    form = client.get(base + "edit/").content.decode()
    assert "Zanzibarian removable media procedure" in form
    before = AuditEvent.objects.count()
    response = client.post(
        base + "edit/",
        _form(
            world,
            title="Removable media",
            requirements=[M + "removable-media", M + "training"],
            other="",
            owner=str(world.a.people[Role.IAO].pk),
            reason="Training added",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    procedure.refresh_from_db()
    assert procedure.title == "Removable media"
    assert procedure.owner == world.a.people[Role.IAO]
    assert sorted(procedure.links.values_list("urn", flat=True)) == [
        M + "removable-media",
        M + "training",
    ]
    change = ProcedureChange.objects.filter(procedure=procedure).first()
    assert change is not None and change.event == "edited"
    assert change.changes["title"] == [
        "Zanzibarian removable media procedure",
        "Removable media",
    ]
    assert change.changes["requirements"] == [
        [M + "removable-media"],
        [M + "removable-media", M + "training"],
    ]
    assert change.reason == "Training added"
    assert change.by == world.a.people[Role.SIRO]

    assert (
        client.post(
            base + "review/", {"version": "1.1", "next_review": _next_year()}
        ).status_code
        == 302
    )
    assert (
        client.post(
            base + "document/",
            {"document": SimpleUploadedFile("v1.1.pdf", PDF)},
        ).status_code
        == 302
    )
    assert (
        client.post(
            base + "withdraw/", {"reason": "Replaced by the security policy"}
        ).status_code
        == 302
    )
    assert AuditEvent.objects.count() == before + 4
    assert list(
        AuditEvent.objects.order_by("-pk").values_list("action", flat=True)[:4]
    ) == [
        "procedure.withdraw",
        "procedure.document",
        "procedure.review",
        "procedure.update",
    ]
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.WITHDRAWN
    assert [c.event for c in procedure.changes.order_by("pk")] == [
        "created",
        "edited",
        "reviewed",
        "document",
        "withdrawn",
    ]
    page = client.get(base).content.decode()
    assert "This procedure is withdrawn" in page
    assert "Replaced by the security policy" in page
    assert "Training added" in page
    assert "Record a review" not in page
    # A withdrawn procedure covers nothing and changes no more.
    coverage = selectors.procedure_coverage(
        access=access_for_user(world.a.people[Role.SIRO]),
        organisation=world.a.org,
    )
    assert procedure not in coverage.current
    listed = client.get(f"/standards/procedures/{world.a.org.code}/")
    assert "Withdrawn procedures" in listed.content.decode()
    assert base in listed.content.decode()
    again = client.post(base + "document/", {
        "document": SimpleUploadedFile("v2.pdf", PDF)})  # fmt: skip
    assert "The procedure is withdrawn" in again.content.decode()
    assert procedure.documents.count() == 1


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_is_refused(world: World) -> None:
    load_catalogue()
    procedure = make_procedure(world)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    before = AuditEvent.objects.count()
    response = client.post(
        f"/standards/procedure/{procedure.pk}/edit/",
        {
            "title": procedure.title,
            "version": procedure.version,
            "owner": str(procedure.owner_id),
            "next_review": procedure.next_review.isoformat(),
            "requirements": [M + "removable-media"],
        },
    )
    assert "Nothing has changed" in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.IAO])
def test_only_keepers_change_procedures(world: World, role: str) -> None:
    load_catalogue()
    procedure = make_procedure(world)
    client = signed_in_client(world.a.people[role])
    base = f"/standards/procedure/{procedure.pk}/"
    assert client.get(base).status_code == 200
    assert "Record a review" not in client.get(base).content.decode()
    for url in (
        f"/standards/procedures/{world.a.org.code}/new/",
        base + "edit/",
        base + "review/",
        base + "withdraw/",
        base + "document/",
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    assert procedure.changes.count() == 1


@pytest.mark.django_db
def test_api_records_and_changes_a_procedure(world: World) -> None:
    load_catalogue()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    body = {
        "title": "Protective marking",
        "version": "1.0",
        "owner_email": world.a.people[Role.GUARDIAN].email,
        "next_review": _next_year(),
        "requirements": [M + "protect-marking"],
    }
    created = client.post(
        f"/api/v1/organisations/{world.a.org.code}/procedures",
        body,
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["history"][0]["event"] == "created"
    changed = client.put(
        f"/api/v1/procedures/{pk}",
        body
        | {
            "version": "1.1",
            "requirements": [M + "protect-marking", M + "training"],
        },
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["requirements"] == [
        M + "protect-marking",
        M + "training",
    ]
    uploaded = client.post(
        f"/api/v1/procedures/{pk}/document",
        {"file": SimpleUploadedFile("marking.pdf", PDF)},
    )
    assert uploaded.status_code == 200, uploaded.content
    assert uploaded.json()["documents"][0]["filename"] == "marking.pdf"
    bad = client.post(
        f"/api/v1/procedures/{pk}/document",
        {"file": SimpleUploadedFile("marking.pdf", b"not a pdf")},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"file": "The file is not a real .pdf file"}
    reviewed = client.post(
        f"/api/v1/procedures/{pk}/review",
        {"version": "2.0", "next_review": _next_year()},
        content_type="application/json",
    )
    assert reviewed.json()["version"] == "2.0"
    withdrawn = client.post(
        f"/api/v1/procedures/{pk}/withdraw",
        {"reason": "Merged"},
        content_type="application/json",
    )
    assert withdrawn.json()["status"] == "withdrawn"
    assert [h["event"] for h in withdrawn.json()["history"]] == [
        "withdrawn",
        "reviewed",
        "document",
        "edited",
        "created",
    ]
    # Department B's key cannot read it.
    other = Client(HTTP_AUTHORIZATION=f"Bearer {world.b.api_secret}")
    assert other.get(f"/api/v1/procedures/{pk}").status_code == 404
