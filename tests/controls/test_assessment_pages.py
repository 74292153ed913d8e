"""The assessment pages: who sees what, answering with an uploaded file,
sign-off, findings with their action plans, positions and trends, and
the central team's cross-government view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.actions.models import Action
from steward.audit.models import AuditEvent
from steward.controls.models import (
    AnswerSource,
    Assessment,
    Evidence,
    Finding,
    Result,
)
from steward.controls.services import assessment_sign_off
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.assets.factories import make_asset
from tests.controls.factories import (
    answer_all,
    load_catalogue,
    start_assessment,
)
from tests.world import MARKER, World, signed_in_client

PDF = b"%PDF-1.4\n% minute of the board, 3 November 2008\n"


@pytest.mark.django_db
def test_guardian_starts_an_assessment(world: World) -> None:
    load_catalogue()
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    page = client.get("/assessments/start/")
    assert page.status_code == 200
    assert "Start an assessment" in page.content.decode()
    response = client.post(
        "/assessments/start/",
        {"organisation": "alpha", "framework": "dhp2008", "period": "2008-09"},
    )
    a = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{a.pk}/"
    body = client.get(response["Location"]).content.decode()
    assert "Progress" in body and "<progress" in body
    assert "Answer the next requirement" in body
    assert "Automated check" in body
    # The same again: an error on the form, nothing new.
    again = client.post(
        "/assessments/start/",
        {"organisation": "alpha", "framework": "dhp2008", "period": "2008-09"},
    )
    assert again.status_code == 200
    assert "already has a dhp2008 assessment for 2008-09" in (
        again.content.decode()
    )
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_staff_and_regulator_see_no_assessments(world: World) -> None:
    start_assessment(world)
    for user in (world.a.people[Role.STAFF], world.auditor):
        client = signed_in_client(user)
        assert client.get("/assessments/").status_code == 403
        assert client.get("/assessments/government/").status_code == 403
    nav = signed_in_client(world.a.people[Role.STAFF]).get("/").content
    assert b'href="/assessments/"' not in nav
    nav = signed_in_client(world.a.people[Role.IAO]).get("/").content
    assert b'href="/assessments/"' in nav


@pytest.mark.django_db
def test_answer_with_uploaded_file(world: World) -> None:
    a = start_assessment(world)
    answer = a.answers.filter(source=AnswerSource.MANUAL).first()
    client = signed_in_client(world.a.people[Role.IAO])
    url = f"/assessments/{a.pk}/answers/{answer.pk}/"
    form = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form
    # A file that is not what it says: an error, nothing kept.
    bad = client.post(
        url,
        {
            "result": "met",
            "note": "See the minute",
            "file": SimpleUploadedFile("minute.pdf", b"MZ not a pdf"),
        },
    )
    assert bad.status_code == 200
    assert "not a real .pdf file" in bad.content.decode()
    assert not Evidence.objects.exists()
    response = client.post(
        url,
        {
            "result": "partly met",
            "note": "Two agencies still to report",
            "file": SimpleUploadedFile(
                "minute.pdf", PDF, content_type="application/pdf"
            ),
            "link": "https://intranet.example/policy",
            "link_title": "Policy",
            "observed_on": "3/11/2008",
        },
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.result == Result.PARTLY_MET
    item = Evidence.objects.get(answer=answer, kind="file")
    assert item.observed_on == dt.date(2008, 11, 3)
    download = client.get(f"/assessments/evidence/{item.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    # Outsiders cannot fetch it.
    outsider = signed_in_client(world.b.people[Role.SIRO])
    assert outsider.get(f"/assessments/evidence/{item.pk}/").status_code == 404
    page = client.get(url).content.decode()
    assert "minute.pdf" in page and "Finding and action plan" in page


@pytest.mark.django_db
def test_automated_answer_shows_the_figures_and_links(world: World) -> None:
    make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    a = start_assessment(world)
    answer = a.answers.get(
        requirement__urn="urn:steward:dhp2008:protective-measures"
    )
    body = (
        signed_in_client(world.a.people[Role.SIRO])
        .get(f"/assessments/{a.pk}/answers/{answer.pk}/")
        .content.decode()
    )
    assert "1 of 1 protected personal data assets are not encrypted" in body
    assert "/assets/?organisation=alpha&amp;ppd=yes" in body
    assert "check run 1" in body


@pytest.mark.django_db
def test_sign_off_page_and_read_only_after(world: World) -> None:
    a = start_assessment(world)
    guardian = signed_in_client(world.a.people[Role.GUARDIAN])
    assert guardian.get(f"/assessments/{a.pk}/sign-off/").status_code == 403
    siro = signed_in_client(world.a.people[Role.SIRO])
    early = siro.post(f"/assessments/{a.pk}/sign-off/", {"confirm": "on"})
    assert early.status_code == 200
    assert "not answered yet" in early.content.decode()
    answer_all(world, a)
    missing = siro.post(f"/assessments/{a.pk}/sign-off/", {})
    assert "Confirm that you agree" in missing.content.decode()
    done = siro.post(
        f"/assessments/{a.pk}/sign-off/",
        {"confirm": "on", "note": "Agreed by the board"},
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.is_signed_off
    answer = a.answers.filter(source=AnswerSource.MANUAL).first()
    url = f"/assessments/{a.pk}/answers/{answer.pk}/"
    page = guardian.get(url).content.decode()
    assert "signed off: it can be read but not changed" in page
    assert "Save answer" not in page
    before = AuditEvent.objects.count()
    assert (
        guardian.post(url, {"result": "not met", "note": "x"}).status_code
        == 403
    )
    assert guardian.post(f"/assessments/{a.pk}/recompute/").status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_findings_and_their_action_plan(world: World) -> None:
    make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    a = start_assessment(world)
    finding = Finding.objects.get(
        assessment=a,
        requirement__urn="urn:steward:dhp2008:protective-measures",
    )
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    listing = client.get("/assessments/findings/?result=not+met")
    assert "Protective measures" in listing.content.decode() or (
        finding.requirement.title in listing.content.decode()
    )
    url = f"/assessments/findings/{finding.pk}/"
    assert "No actions yet" in client.get(url).content.decode()
    bad = client.post(url, {"title": "", "owner": "", "due": "soon"})
    assert "Enter the action" in bad.content.decode()
    owner = world.a.people[Role.IAO]
    due = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        url,
        {
            "title": "Encrypt the benefits database",
            "owner": str(owner.pk),
            "due": due.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.source_kind, action.source_id) == ("finding", finding.pk)
    assert action.organisation == world.a.org
    page = client.get(url).content.decode()
    assert "Encrypt the benefits database" in page
    # Staff cannot plan; outsiders do not see the finding.
    assert (
        signed_in_client(world.b.people[Role.GUARDIAN]).get(url).status_code
        == 404
    )


@pytest.mark.django_db
def test_position_shows_trend_subtree_and_requirements(world: World) -> None:
    first = start_assessment(world, period="2007-08")
    answer_all(world, first, result="not met")
    second = start_assessment(world, period="2008-09")
    answer_all(world, second, result="met")
    start_assessment(world, organisation=world.a.agency, period="2008-09")
    body = (
        signed_in_client(world.a.people[Role.SIRO])
        .get("/assessments/organisations/alpha/")
        .content.decode()
    )
    assert "<svg" in body and "Score of" in body
    assert "2007-08" in body and "2008-09" in body
    assert f"{MARKER} Revenue Agency" in body  # the subtree
    assert "Each requirement by period" in body
    assert "How the score is worked out" in body
    # B's SIRO cannot see A's position.
    assert (
        signed_in_client(world.b.people[Role.SIRO])
        .get("/assessments/organisations/alpha/")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_government_view_for_the_central_team(world: World) -> None:
    a = start_assessment(world)
    answer_all(world, a)
    assessment_sign_off(
        access=access_for_user(world.a.people[Role.SIRO]), assessment=a
    )
    client = signed_in_client(world.central)
    body = client.get("/assessments/government/").content.decode()
    assert f"{MARKER} Revenue" in body
    assert "Bravo Pensions" in body and "Not assessed" in body
    assert "Yes" in body  # signed off
    assert "<svg" in body
    assert (
        signed_in_client(world.a.people[Role.SIRO])
        .get("/assessments/government/")
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_list_filters_and_csv(world: World) -> None:
    a = start_assessment(world)
    client = signed_in_client(world.a.people[Role.IAO])
    assert f"{MARKER} Revenue" in client.get("/assessments/").content.decode()
    none = client.get("/assessments/?period=1999-00").content.decode()
    assert "No assessments match" in none or "Select a valid" in none
    csv = client.get(f"/assessments/{a.pk}/export.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert b"urn:steward:dhp2008:roles" in csv.content


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_assessments(world: World) -> None:
    """The list, the cross-government view and an assessment's page run
    the same number of queries for one assessment as for several."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = start_assessment(world, period="2006-07")
    answer_all(world, first, result="not met")
    # Department B has one for every period shown, from the start.
    for period in ("2006-07", "2007-08", "2008-09"):
        start_assessment(
            world,
            organisation=world.b.org,
            period=period,
            by=world.b.people[Role.GUARDIAN],
        )
    central = signed_in_client(world.central)
    siro = signed_in_client(world.a.people[Role.SIRO])
    pages = [
        (central, "/assessments/"),
        (
            central,
            "/assessments/government/?period=2006-07&period=2007-08"
            "&period=2008-09",
        ),
        (siro, "/assessments/organisations/alpha/"),
        (siro, f"/assessments/{first.pk}/"),
        (siro, "/assessments/findings/"),
    ]

    def counts() -> list[int]:
        out = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    counts()  # each session's first page also renews it (a write)
    before = counts()
    for period in ("2007-08", "2008-09"):
        a = start_assessment(world, period=period)
        answer_all(world, a, result="not met")
        start_assessment(world, organisation=world.a.agency, period=period)
    assert counts() == before


@pytest.mark.django_db
def test_oscal_assessment_results_validate_with_trestle(world: World) -> None:
    import json

    from trestle.oscal.assessment_results import AssessmentResults

    make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    a = start_assessment(world)
    answer_all(world, a, result="partly met")
    response = signed_in_client(world.a.people[Role.IAO]).get(
        f"/assessments/{a.pk}/oscal.json"
    )
    assert response.status_code == 200
    assert "oscal.json" in response["Content-Disposition"]
    document = json.loads(response.content)
    model = AssessmentResults.model_validate(document["assessment-results"])
    (result,) = model.results
    targets = {f.target.target_id: f for f in result.findings}
    measure = targets["protective-measures"]
    assert measure.target.status.state.value == "not-satisfied"
    by_uuid = {o.uuid: o for o in result.observations}
    obs = by_uuid[measure.related_observations[0].observation_uuid]
    assert obs.methods == ["TEST"]
    assert "not encrypted at rest" in obs.description
    assert len(result.findings) == a.answers.count()
    # Outsiders: not found.
    assert (
        signed_in_client(world.b.people[Role.SIRO])
        .get(f"/assessments/{a.pk}/oscal.json")
        .status_code
        == 404
    )
