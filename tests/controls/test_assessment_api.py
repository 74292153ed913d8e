"""The assessments API: start, answer, upload evidence, sign off, findings
and scores, scoped as the pages are."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.controls.models import AnswerSource, Assessment, Evidence
from steward.organisations.models import Role
from tests.assets.factories import make_asset
from tests.controls.factories import answer_all, load_catalogue
from tests.world import World, signed_in_client

JSON = "application/json"


def _start(client: Client, org: str = "alpha", period: str = "2008-09"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/assessments",
        {"organisation": org, "framework": "dhp2008", "period": period},
        content_type=JSON,
    )


@pytest.mark.django_db
def test_start_answer_sign_off_through_the_api(world: World) -> None:
    load_catalogue()
    make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    key = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    started = _start(key)
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["period_start"] == "2008-04-01"
    assert body["tally"]["not_met"] >= 1
    aid = body["id"]
    detail = key.get(f"/api/v1/assessments/{aid}").json()
    manual = next(a for a in detail["answers"] if a["source"] == "manual")
    auto = next(
        a
        for a in detail["answers"]
        if a["urn"] == "urn:steward:dhp2008:protective-measures"
    )
    assert auto["figures"][0]["check"] == "ppd-encrypted-at-rest"
    assert auto["check_run"] == 1
    bad = key.put(
        f"/api/v1/assessments/{aid}/answers/{manual['id']}",
        {"result": "perhaps", "note": ""},
        content_type=JSON,
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"result", "note"}
    ok = key.put(
        f"/api/v1/assessments/{aid}/answers/{manual['id']}",
        {
            "result": "met",
            "note": "Policy approved",
            "links": [
                {"url": "https://intranet.example/p", "title": "Policy"}
            ],
        },
        content_type=JSON,
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["evidence"][0]["title"] == "Policy"
    from io import BytesIO

    pdf = BytesIO(b"%PDF-1.4 minute")
    pdf.name = "minute.pdf"
    up = key.post(
        f"/api/v1/assessments/{aid}/answers/{manual['id']}/evidence",
        {"file": pdf},
    )
    assert up.status_code == 201, up.content
    assert up.json()[0]["download"].startswith("/assessments/evidence/")
    assert Evidence.objects.filter(kind="file").count() == 1
    run = key.post(f"/api/v1/assessments/{aid}/recompute")
    assert run.json()["number"] == 2
    # The guardian's key cannot sign off; the SIRO can, once all answered.
    refused = key.post(
        f"/api/v1/assessments/{aid}/sign-off", {}, content_type=JSON
    )
    assert refused.status_code == 403
    answer_all(world, Assessment.objects.get(pk=aid))
    siro = signed_in_client(world.a.people[Role.SIRO])
    signed = siro.post(
        f"/api/v1/assessments/{aid}/sign-off",
        {"note": "Agreed"},
        content_type=JSON,
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed_off"
    after = key.put(
        f"/api/v1/assessments/{aid}/answers/{manual['id']}",
        {"result": "not met", "note": "x"},
        content_type=JSON,
    )
    assert after.status_code == 403


@pytest.mark.django_db
def test_findings_and_scores(world: World) -> None:
    load_catalogue()
    make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    guardian = signed_in_client(world.a.people[Role.GUARDIAN])
    _start(guardian)
    found = guardian.get("/api/v1/findings?result=not+met").json()
    assert found["count"] >= 1
    item = found["items"][0]
    assert item["organisation"] == "alpha" and item["open_actions"] == 0
    assert guardian.get(f"/api/v1/findings/{item['id']}").status_code == 200
    scores = guardian.get("/api/v1/organisations/alpha/scores").json()
    assert [p["period"] for p in scores["periods"]] == ["2008-09"]
    assert "Met counts 1" in scores["rule"]
    assert scores["requirements"][0]["urn"].startswith("urn:steward:dhp2008")
    # Outsiders: not found; the regulator: forbidden.
    b = signed_in_client(world.b.people[Role.SIRO])
    assert b.get(f"/api/v1/findings/{item['id']}").status_code == 404
    assert b.get("/api/v1/findings").json()["count"] == 0
    assert b.get("/api/v1/organisations/alpha/scores").status_code == 404
    assert (
        signed_in_client(world.auditor).get("/api/v1/assessments").status_code
        == 403
    )


@pytest.mark.django_db
def test_government_scores_for_the_central_team(world: World) -> None:
    load_catalogue()
    _start(signed_in_client(world.a.people[Role.GUARDIAN]))
    central = signed_in_client(world.central)
    rows = central.get("/api/v1/scores/government").json()
    by = {r["department"]: r for r in rows}
    assert by["alpha"]["periods"][0]["assessment"] is not None
    assert by["beta"]["periods"][0]["assessment"] is None
    assert (
        signed_in_client(world.a.people[Role.SIRO])
        .get("/api/v1/scores/government")
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_assessment_list_is_scoped(world: World) -> None:
    load_catalogue()
    _start(signed_in_client(world.a.people[Role.GUARDIAN]))
    _start(signed_in_client(world.b.people[Role.GUARDIAN]), org="beta")
    a = (
        signed_in_client(world.a.people[Role.IAO])
        .get("/api/v1/assessments")
        .json()
    )
    assert [x["organisation"] for x in a["items"]] == ["alpha"]
    central = (
        signed_in_client(world.central)
        .get("/api/v1/assessments?period=2008-09")
        .json()
    )
    assert central["count"] == 2
    assert Assessment.objects.filter(
        answers__source=AnswerSource.MANUAL
    ).exists()
