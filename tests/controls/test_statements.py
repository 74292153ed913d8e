"""Statements of Internal Control: drafted from the year's assessment,
its open findings and their actions (each traced to its record), edited
by Data Guardians and the SIRO, signed only by the SIRO in a
two-factor session, read-only once signed, one audit event per write."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from steward.actions.services import action_create
from steward.audit.models import AuditEvent
from steward.common.errors import Forbidden, Invalid
from steward.controls.models import Answer, AnswerSource, Finding, Result
from steward.controls.periods import year_of
from steward.controls.services import answer_record, assessment_sign_off
from steward.controls.statement_models import Statement, StatementStatus
from steward.controls.statements import services
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.controls.factories import answer_all, start_assessment
from tests.world import World, signed_in_client

YEAR = year_of(timezone.localdate()).code


def _assessed(w: World, sign: bool = True):  # type: ignore[no-untyped-def]
    """A's assessment for this year: every manual requirement met but
    two (removable media not met, training partly met), an action on the
    removable-media finding, signed off by A's SIRO."""
    assessment = start_assessment(w, period=YEAR)
    answer_all(w, assessment)
    guardian = access_for_user(w.a.people[Role.GUARDIAN])
    manual = {
        a.requirement.urn: a
        for a in assessment.answers.filter(
            source=AnswerSource.MANUAL
        ).select_related("requirement")
    }
    answer_record(
        access=guardian,
        answer=manual["urn:steward:dhp2008:training"],
        result=Result.PARTLY_MET,
        note="Annual refresher not yet run",
    )
    remote = manual["urn:steward:dhp2008:remote-access"]
    answer_record(
        access=guardian, answer=remote, result=Result.NOT_MET, note="None"
    )
    finding = Finding.objects.get(answer=remote)
    action_create(
        access=guardian,
        organisation=w.a.org,
        title="Encrypt every remote-access laptop",
        owner=w.a.people[Role.IAO],
        due=timezone.localdate() + dt.timedelta(days=40),
        source_kind="finding",
        source_id=finding.pk,
    )
    if sign:
        assessment_sign_off(
            access=access_for_user(w.a.people[Role.SIRO]),
            assessment=assessment,
        )
    return assessment


def _draft(w: World, role: str = Role.GUARDIAN) -> Statement:
    return services.statement_draft(
        access=access_for_user(w.a.people[role]),
        organisation=w.a.org,
        period=YEAR,
    )


@pytest.mark.django_db
def test_draft_traces_to_the_assessment_findings_and_actions(
    world: World,
) -> None:
    assessment = _assessed(world)
    statement = _draft(world)
    text = statement.text
    answers = Answer.objects.filter(assessment=assessment)
    counts = {r: answers.filter(result=r).count() for r in Result.values}
    assert counts[Result.NOT_MET] >= 1 and counts[Result.PARTLY_MET] >= 1
    assert (
        f"Of {answers.count()} requirements, {counts[Result.MET]} were met, "
        f"{counts[Result.PARTLY_MET]} partly met, "
        f"{counts[Result.NOT_MET]} not met and "
        f"{counts[Result.NOT_APPLICABLE]} not applicable"
    ) in text
    siro = world.a.people[Role.SIRO].full_name
    assert f"As Senior Information Risk Owner, {siro}" in text
    assert f"signed off by {siro}" in text
    # Every open finding is named with its result, and its action plan.
    open_findings = list(assessment.findings.filter(status="open"))
    assert set(statement.sources["findings"]) == {f.pk for f in open_findings}
    for f in open_findings:
        assert f"- {f.requirement.ref} {f.requirement.title}: " in text
    by_urn = {f.requirement.urn.rsplit(":", 1)[1]: f for f in open_findings}
    remote, training = by_urn["remote-access"], by_urn["training"]
    assert (
        f"- {remote.requirement.ref} {remote.requirement.title}: not met. "
        "Action: Encrypt every remote-access laptop (owner "
        f"{world.a.people[Role.IAO].full_name}, due "
    ) in text
    assert (
        f"- {training.requirement.ref} {training.requirement.title}: "
        "partly met. No action is planned yet."
    ) in text
    assert statement.assessment == assessment
    assert len(statement.sources["actions"]) == 1
    # The page links each source record.
    page = signed_in_client(world.a.people[Role.GUARDIAN]).get(
        f"/standards/statements/{statement.pk}/"
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert f"/assessments/{assessment.pk}/" in body
    for f in open_findings:
        assert f"/assessments/findings/{f.pk}/" in body
    assert f"/actions/{statement.sources['actions'][0]}/" in body
    assert f"/standards/procedures/{world.a.org.code}/" in body


@pytest.mark.django_db
def test_draft_without_an_assessment_says_so(world: World) -> None:
    statement = _draft(world, Role.SIRO)
    assert "has not yet assessed its handling of information" in statement.text
    assert statement.assessment is None
    assert statement.sources["findings"] == []
    with pytest.raises(Invalid) as err:
        _draft(world)
    assert "already a statement" in err.value.errors["period"]
    with pytest.raises(Invalid):
        services.statement_draft(
            access=access_for_user(world.a.people[Role.GUARDIAN]),
            organisation=world.a.org,
            period=f"{YEAR} Q1",
        )


@pytest.mark.django_db
def test_only_editors_draft_and_edit(world: World) -> None:
    for role in (Role.IAO, Role.STAFF):
        with pytest.raises(Forbidden):
            _draft(world, role)
    statement = _draft(world)
    iao = signed_in_client(world.a.people[Role.IAO])
    assert iao.get(f"/standards/statements/{statement.pk}/").status_code == 200
    assert (
        iao.get(f"/standards/statements/{statement.pk}/edit/").status_code
        == 403
    )
    staff = signed_in_client(world.a.people[Role.STAFF])
    assert (
        staff.get(f"/standards/statements/{statement.pk}/").status_code == 403
    )
    outsider = signed_in_client(world.b.people[Role.SIRO])
    assert (
        outsider.get(f"/standards/statements/{statement.pk}/").status_code
        == 404
    )


@pytest.mark.django_db
def test_edit_sign_and_read_only_after(world: World) -> None:
    _assessed(world)
    guardian = signed_in_client(world.a.people[Role.GUARDIAN])
    response = guardian.post(
        "/standards/statements/new/",
        {"organisation": world.a.org.code, "period": YEAR},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    statement = Statement.objects.get(organisation=world.a.org)
    before = AuditEvent.objects.count()
    edited = statement.text + "\n\nThe board reviewed this statement."
    assert (
        guardian.post(
            f"/standards/statements/{statement.pk}/edit/", {"text": edited}
        ).status_code
        == 302
    )
    assert AuditEvent.objects.count() == before + 1
    statement.refresh_from_db()
    assert statement.text == edited
    # The guardian cannot sign.
    assert (
        guardian.get(f"/standards/statements/{statement.pk}/sign/").status_code
        == 403
    )
    with pytest.raises(Forbidden):
        services.statement_sign(
            access=access_for_user(world.a.people[Role.GUARDIAN]),
            statement=statement,
            two_factor_verified=True,
        )
    # Nor can the SIRO without a second factor.
    with pytest.raises(Forbidden):
        services.statement_sign(
            access=access_for_user(world.a.people[Role.SIRO]),
            statement=statement,
            two_factor_verified=False,
        )
    siro = signed_in_client(world.a.people[Role.SIRO])
    unconfirmed = siro.post(f"/standards/statements/{statement.pk}/sign/", {})
    assert "Confirm that you have read the statement" in (
        unconfirmed.content.decode()
    )
    signed = siro.post(
        f"/standards/statements/{statement.pk}/sign/", {"confirm": "on"}
    )
    assert signed.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SIGNED
    assert statement.signed_by == world.a.people[Role.SIRO]
    assert (
        statement.signed_digest == hashlib.sha256(edited.encode()).hexdigest()
    )
    event = AuditEvent.objects.latest("pk")
    assert event.action == "statement.sign"
    assert event.details["digest"] == statement.signed_digest
    assert AuditEvent.objects.count() == before + 2
    page = siro.get(f"/standards/statements/{statement.pk}/").content.decode()
    assert f"by {world.a.people[Role.SIRO].full_name}" in page
    assert "It can no longer be changed" in page
    assert "Sign the statement" not in page
    # Read-only: no edit, redraft or second signature.
    assert (
        guardian.get(f"/standards/statements/{statement.pk}/edit/").status_code
        == 403
    )
    assert (
        guardian.post(
            f"/standards/statements/{statement.pk}/redraft/"
        ).status_code
        == 403
    )
    with pytest.raises(Forbidden):
        services.statement_update(
            access=access_for_user(world.a.people[Role.SIRO]),
            statement=statement,
            text="Changed after signing",
        )
    assert AuditEvent.objects.count() == before + 2


@pytest.mark.django_db
def test_redraft_follows_the_records(world: World) -> None:
    statement = _draft(world)
    assert statement.assessment is None
    assessment = _assessed(world, sign=False)
    guardian = signed_in_client(world.a.people[Role.GUARDIAN])
    assert (
        guardian.post(
            f"/standards/statements/{statement.pk}/redraft/"
        ).status_code
        == 302
    )
    statement.refresh_from_db()
    assert statement.assessment == assessment
    assert "still in progress and has not been signed off" in statement.text


@pytest.mark.django_db
def test_api_drafts_but_a_key_cannot_sign(world: World) -> None:
    _assessed(world)
    key = Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")
    created = key.post(
        "/api/v1/statements",
        {"organisation": world.a.org.code, "period": YEAR},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["assessment"] is not None
    changed = key.put(
        f"/api/v1/statements/{pk}",
        {"text": "Short statement."},
        content_type="application/json",
    )
    assert changed.json()["text"] == "Short statement."
    assert key.post(f"/api/v1/statements/{pk}/sign").status_code == 403
    siro = signed_in_client(world.a.people[Role.SIRO])
    signed = siro.post(f"/api/v1/statements/{pk}/sign")
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed"
    assert signed.json()["signed_by"] == world.a.people[Role.SIRO].full_name
    listed = key.get("/api/v1/statements").json()
    assert [s["id"] for s in listed["items"]] == [pk]
    other = Client(HTTP_AUTHORIZATION=f"Bearer {world.b.api_secret}")
    assert other.get(f"/api/v1/statements/{pk}").status_code == 404


@pytest.mark.django_db
def test_resolved_findings_leave_the_list_and_are_counted(
    world: World,
) -> None:
    from steward.controls.services import finding_resolve

    assessment = _assessed(world)
    training = Finding.objects.get(
        assessment=assessment,
        requirement__urn="urn:steward:dhp2008:training",
    )
    finding_resolve(
        access=access_for_user(world.a.people[Role.GUARDIAN]),
        finding=training,
        note="Refresher run for every team",
    )
    statement = _draft(world)
    line = f"- {training.requirement.ref} {training.requirement.title}: "
    assert line not in statement.text
    assert (
        "1 further weakness found in the assessment has been resolved."
        in statement.text
    )
    assert statement.sources["resolved_findings"] == [training.pk]
    assert training.pk not in statement.sources["findings"]


@pytest.mark.django_db
def test_draft_counts_the_years_incidents_by_annual_category(
    world: World,
) -> None:
    from steward.incidents import services as incident_services
    from tests.incidents.factories import graded, report

    quiet = _draft(world)
    assert "recorded no personal data incident" in quiet.text
    assert quiet.sources["incidents"] == []
    quiet.delete()

    guardian = access_for_user(world.a.people[Role.GUARDIAN])
    laptop = graded(world.a)
    incident_services.notification_make(
        access=guardian, incident=laptop, recipient="ico", phase="initial"
    )
    report(world.a, summary="Letter to the wrong address")
    report(world.b)  # another department's: not counted
    statement = _draft(world)
    assert "Personal data related incidents" in statement.text
    assert "recorded 2 personal data incidents" in statement.text
    assert "1 of them notified to the Information Commissioner" in (
        statement.text
    )
    assert "from outside secured Government premises: 1" in statement.text
    assert "Not yet categorised: 1" in statement.text
    assert sorted(statement.sources["incidents"]) == sorted(
        i.pk for i in laptop.organisation.incidents.all()
    )
    assert statement.sources["figures"]["incidents_notified"] == 1
