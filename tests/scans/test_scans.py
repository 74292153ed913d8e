"""Scans in the platform: a job over a location finds personal data and
flags bulk data no asset accounts for; agents upload reports; nothing raw
is stored."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.accounts.models import User
from steward.organisations.access import access_for_user, system_access
from steward.organisations.models import Role
from steward.scans import services
from steward.scans.models import ScanRun, Status
from tests.world import World, signed_in_client

# Valid NINOs (HMRC prefix rules) planted in a file; none may be stored.
NINOS = [f"AB{n:06d}C" for n in range(100_000, 101_200)]


@pytest.fixture
def share(tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "share"
    folder.mkdir()
    rows = ["name,nino"] + [f"Person {i},{n}" for i, n in enumerate(NINOS)]
    (folder / "export.csv").write_text("\n".join(rows))
    return folder


@pytest.mark.django_db
def test_a_job_flags_unregistered_bulk_data(world: World, share) -> None:  # type: ignore[no-untyped-def]
    guardian = access_for_user(world.a.people[Role.GUARDIAN])
    location = services.location_create(
        access=guardian, organisation=world.a.org, name="Finance share",
        target=str(share))
    run = services.scan_start(access=guardian, location=location)
    # Tests run tasks at once; outside a transaction there is no commit,
    # so run the job here as the worker would.
    services.run_scan.call(run.pk)
    run.refresh_from_db()
    assert run.status == Status.DONE
    totals = {t["entity"]: t["count"] for t in run.totals}
    assert totals["UK_NINO"] == len(NINOS)
    assert run.bulk and run.unregistered
    stored = str(ScanRun.objects.filter(pk=run.pk).values()[0])
    for nino in NINOS[:50]:
        assert nino not in stored


@pytest.mark.django_db
def test_a_scan_page_shows_the_flag(world: World, share) -> None:  # type: ignore[no-untyped-def]
    guardian = world.a.people[Role.GUARDIAN]
    client = signed_in_client(guardian)
    response = client.post("/scans/locations/add/", {
        "organisation": "alpha", "name": "Share", "target": str(share)})
    assert response.status_code == 302
    location = services.ScanLocation.objects.get()
    response = client.post(f"/scans/locations/{location.pk}/scan/")
    run = ScanRun.objects.get()
    services.run_scan.call(run.pk)
    page = client.get(f"/scans/{run.pk}/").content.decode()
    assert "Bulk personal data found where no registered" in page
    assert "UK_NINO" in page
    listing = client.get("/scans/?unregistered=1").content.decode()
    assert "Unregistered bulk data" in listing
    # Bulk means thousands: the count is shown with its separators.
    run.refresh_from_db()
    assert run.found >= 1000 and f">{run.found:,}<" in listing


@pytest.mark.django_db
def test_a_password_in_a_database_url_is_refused(world: World) -> None:
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    response = client.post("/scans/locations/add/", {
        "organisation": "alpha", "name": "DB",
        "target": "postgresql://scanner:secret@db/benefits"})
    assert "Remove the password from the URL" in response.content.decode()
    assert not services.ScanLocation.objects.exists()


@pytest.mark.django_db
def test_staff_cannot_add_locations_or_start_scans(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    response = client.post("/scans/locations/add/", {
        "organisation": "alpha", "name": "S", "target": "/tmp"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_an_agent_uploads_a_report(world: World) -> None:
    agent = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    report = {
        "sources": 3, "bytes_read": 1000,
        "totals": [{"entity": "UK_NHS", "count": 5000, "distinct": 4990,
                    "places": 1}],
        "findings": [{"entity": "UK_NHS", "count": 5000, "distinct": 4990,
                      "location": {"path": "/srv/x.csv", "column": "nhs"},
                      "samples": ["943 476 5919"]}],
    }
    response = agent.post("/api/v1/scans", {"report": report},
                          content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unregistered"] is True and body["found"] == 5000
    # Samples are not kept, even if an agent sends one unmasked.
    assert "943 476 5919" not in str(ScanRun.objects.values()[0])
    listing = agent.get("/api/v1/scans?unregistered=true").json()
    assert [r["id"] for r in listing["items"]] == [body["id"]]


@pytest.mark.django_db
def test_a_bad_report_is_refused_and_nothing_is_stored(world: World) -> None:
    agent = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    response = agent.post(
        "/api/v1/scans",
        {"report": {"totals": [{"entity": "lower case", "count": -1}]}},
        content_type="application/json")
    assert response.status_code == 422
    assert not ScanRun.objects.exists()
    response = agent.post("/api/v1/scans",
                          {"organisation": "beta", "report": {}},
                          content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_demo_flags_dwps_unregistered_export() -> None:
    from steward import demo

    demo.load()
    flagged = ScanRun.objects.filter(unregistered=True)
    assert [r.organisation.code for r in flagged] == ["dwp"]
    registered = ScanRun.objects.get(organisation__code="hmrc")
    assert registered.asset.reference == "HMRC-CB-001"
    assert not registered.unregistered


@pytest.mark.django_db
def test_the_check_reports_unregistered_bulk_data(world: World) -> None:
    from steward.controls.checks import REGISTRY, run_check

    assert REGISTRY["no-unregistered-bulk-ppd"].requirements == (
        "urn:steward:dhp2008:ppd-inventory",)
    central = access_for_user(world.central)
    result = run_check("no-unregistered-bulk-ppd", access=central,
                       organisation=world.a.org)
    assert result.outcome == "not applicable"
    bulk = {"totals": [{"entity": "UK_NINO", "count": 1000}]}
    small = {"totals": [{"entity": "UK_NINO", "count": 999}]}
    services.scan_upload(access=central, organisation=world.a.org,
                         report=small)
    result = run_check("no-unregistered-bulk-ppd", access=central,
                       organisation=world.a.org)
    assert (result.outcome, result.applicable, result.failing) == (
        "met", 1, 0)
    services.scan_upload(access=central, organisation=world.a.agency,
                         report=bulk)
    result = run_check("no-unregistered-bulk-ppd", access=central,
                       organisation=world.a.org)
    assert (result.outcome, result.failing) == ("partly met", 1)
    # Department B's position is its own.
    result = run_check("no-unregistered-bulk-ppd", access=central,
                       organisation=world.b.org)
    assert result.outcome == "not applicable"


def _scan_page(world: World, target: str) -> str:
    """A guardian's scan of ``target`` run as the worker would, and its
    page."""
    guardian = world.a.people[Role.GUARDIAN]
    location = services.location_create(
        access=access_for_user(guardian), organisation=world.a.org,
        name="Share", target=target)
    run = services.scan_start(access=access_for_user(guardian),
                              location=location)
    services.run_scan.call(run.pk)
    return signed_in_client(guardian).get(
        f"/scans/{run.pk}/").content.decode()


@pytest.mark.django_db
def test_a_scan_that_read_nothing_says_so(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _scan_page(world, str(tmp_path / "gone"))
    assert "Nothing could be read" in page
    assert "No personal data was found" not in page
    assert "it is missing, or Steward is not allowed to read it" in page


@pytest.mark.django_db
def test_a_clean_scan_says_nothing_was_found(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.txt").write_text("Minutes of the meeting.\n")
    page = _scan_page(world, str(tmp_path))
    assert "No personal data was found" in page
    assert "Nothing could be read" not in page


@pytest.mark.django_db
def test_the_demo_location_is_a_real_share(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from steward import demo

    settings.VAR_DIR = tmp_path
    demo.load()
    location = services.ScanLocation.objects.get(organisation__code="hmrc")
    assert location.target.startswith(str(tmp_path))
    run = services.scan_start(access=system_access("demo test"),
                              location=location)
    services.run_scan.call(run.pk)
    run.refresh_from_db()
    totals = {t["entity"]: t["count"] for t in run.totals}
    assert totals["UK_NINO"] == 240
    assert run.sources == 2 and not run.problems
    assert run.bytes_read > 1000
    page = signed_in_client(
        User.objects.get(email="siro.hmrc@demo.steward.example")
    ).get(f"/scans/{run.pk}/").content.decode()
    assert f">{run.bytes_read:,}<" in page
    # A sample, not bulk: the demo's only unregistered flag stays DWP's.
    assert not run.bulk and not run.unregistered
