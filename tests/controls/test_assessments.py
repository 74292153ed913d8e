"""Assessments: starting one fills in the automated results; people answer
the rest with evidence; the SIRO signs off and it is read-only after;
findings follow not met and partly met; old versions stay readable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from steward.audit.models import AuditEvent
from steward.common.errors import Forbidden, Invalid
from steward.controls import selectors, services
from steward.controls.evidence import check_file
from steward.controls.models import (
    Answer,
    AnswerSource,
    Assessment,
    AssessmentStatus,
    Evidence,
    Finding,
    FindingStatus,
    FrameworkVersion,
    Result,
)
from steward.controls.services import LinkIn
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.assets.factories import make_asset
from tests.controls.factories import (
    PERIOD,
    answer_all,
    load_catalogue,
    start_assessment,
)
from tests.world import World

PDF = b"%PDF-1.4\n% board minute\n"


def _who(w: World, role: str):  # type: ignore[no-untyped-def]
    return access_for_user(w.a.people[role])


def _manual(a: Assessment) -> Answer:
    return a.answers.filter(source=AnswerSource.MANUAL).first()


@pytest.mark.django_db
def test_start_fills_automated_results_from_the_checks(world: World) -> None:
    make_asset(world.a, reference="OK-1")
    make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    load_catalogue()
    before = AuditEvent.objects.count()
    a = start_assessment(world)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("pk").action == "assessment.start"
    assert a.period_start == dt.date(2008, 4, 1)
    assert a.period_end == dt.date(2009, 3, 31)
    answers = {x.requirement.urn: x for x in a.answers.all()}
    # Only leaves: the sections are not answered.
    assert "urn:steward:dhp2008:process" not in answers
    measure = answers["urn:steward:dhp2008:protective-measures"]
    assert measure.source == AnswerSource.AUTOMATED
    assert measure.result == Result.PARTLY_MET
    (fig,) = measure.figures
    assert (fig["check"], fig["applicable"], fig["failing"]) == (
        "ppd-encrypted-at-rest",
        2,
        1,
    )
    assert "organisation=alpha" in fig["links"]["failing"]
    # Two checks evidence the roles measure; their results combine.
    roles = answers["urn:steward:dhp2008:roles"]
    assert {f["check"] for f in roles.figures} == {
        "ppd-review-in-date",
        "siro-appointed",
    }
    assert roles.result == Result.MET
    # Not met or partly met: a finding each.
    assert Finding.objects.get(answer=measure).status == FindingStatus.OPEN
    assert answers["urn:steward:dhp2008:training"].source == (
        AnswerSource.MANUAL
    )
    assert answers["urn:steward:dhp2008:training"].result == ""


@pytest.mark.django_db
def test_results_are_kept_as_they_were_and_recompute_adds_a_run(
    world: World,
) -> None:
    bad = make_asset(world.a, reference="BAD-1", encrypted_at_rest=False)
    a = start_assessment(world)
    measure = a.answers.get(
        requirement__urn="urn:steward:dhp2008:protective-measures"
    )
    assert measure.result == Result.NOT_MET
    # The register changes; the assessment still says what it found.
    bad.encrypted_at_rest = True
    bad.save()
    measure.refresh_from_db()
    assert measure.result == Result.NOT_MET
    before = AuditEvent.objects.count()
    run = services.assessment_recompute(
        access=_who(world, Role.GUARDIAN), assessment=a
    )
    assert AuditEvent.objects.count() == before + 1
    assert run.number == 2
    measure.refresh_from_db()
    assert measure.result == Result.MET
    assert measure.check_run == run
    # The first run is kept as it was.
    first = a.check_runs.get(number=1)
    assert first.results["ppd-encrypted-at-rest"]["outcome"] == "not met"
    finding = Finding.objects.get(answer=measure)
    assert finding.status == FindingStatus.RESOLVED


@pytest.mark.django_db
def test_who_may_start(world: World) -> None:
    load_catalogue()
    version = FrameworkVersion.objects.get(
        framework__slug="dhp2008", is_current=True
    )
    for role in (Role.IAO, Role.STAFF):
        with pytest.raises(Forbidden):
            services.assessment_start(
                access=_who(world, role),
                organisation=world.a.org,
                version=version,
                period=PERIOD,
            )
    with pytest.raises(Forbidden):
        services.assessment_start(
            access=access_for_user(world.b.people[Role.SIRO]),
            organisation=world.a.org,
            version=version,
            period=PERIOD,
        )
    with pytest.raises(Forbidden):
        services.assessment_start(
            access=access_for_user(world.central),
            organisation=world.a.org,
            version=version,
            period=PERIOD,
        )
    assert not Assessment.objects.exists()
    services.assessment_start(
        access=_who(world, Role.SIRO),
        organisation=world.a.agency,
        version=version,
        period="2008-09 Q2",
    )


@pytest.mark.django_db
def test_bad_period_and_second_assessment_are_refused(world: World) -> None:
    load_catalogue()
    version = FrameworkVersion.objects.get(
        framework__slug="dhp2008", is_current=True
    )
    for bad in ("2008", "2008-10", "2008-09 Q5", ""):
        with pytest.raises(Invalid) as exc:
            services.assessment_start(
                access=_who(world, Role.GUARDIAN),
                organisation=world.a.org,
                version=version,
                period=bad,
            )
        assert "period" in exc.value.errors
    start_assessment(world)
    with pytest.raises(Invalid) as exc:
        start_assessment(world)
    assert (
        "already has a dhp2008 assessment for 2008-09"
        in (exc.value.errors["period"])
    )
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_answer_with_evidence(world: World) -> None:
    a = start_assessment(world)
    answer = _manual(a)
    before = AuditEvent.objects.count()
    services.answer_record(
        access=_who(world, Role.IAO),
        answer=answer,
        result=Result.PARTLY_MET,
        note="Board minute attached; two agencies have not reported.",
        files=[check_file("minute.pdf", PDF)],
        links=[LinkIn("https://intranet.example/policy", "Policy")],
        observed_on=dt.date(2008, 11, 3),
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == "assessment.answer"
    assert "minute" not in str(event.details)
    answer.refresh_from_db()
    assert answer.result == Result.PARTLY_MET
    files = Evidence.objects.filter(answer=answer, kind="file")
    (f,) = files
    assert f.filename == "minute.pdf" and f.size == len(PDF)
    assert "minute" not in f.file.name  # stored under its digest
    assert default_storage.open(f.file.name).read() == PDF
    assert Evidence.objects.filter(answer=answer, kind="link").count() == 1
    assert Finding.objects.get(answer=answer).result == Result.PARTLY_MET
    # Answered met later: the finding is resolved, not deleted.
    services.answer_record(
        access=_who(world, Role.GUARDIAN),
        answer=answer,
        result=Result.MET,
        note="Both have reported now",
    )
    assert Finding.objects.get(answer=answer).status == FindingStatus.RESOLVED


@pytest.mark.django_db
def test_answer_is_checked(world: World) -> None:
    a = start_assessment(world)
    answer = _manual(a)
    g = _who(world, Role.GUARDIAN)
    with pytest.raises(Invalid) as exc:
        services.answer_record(
            access=g, answer=answer, result="maybe", note=""
        )
    assert set(exc.value.errors) == {"result", "note"}
    with pytest.raises(Invalid) as exc:
        services.answer_record(
            access=g,
            answer=answer,
            result="met",
            note="x",
            links=[LinkIn("ftp://x")],
        )
    assert "link" in exc.value.errors
    auto = a.answers.filter(source=AnswerSource.AUTOMATED).first()
    with pytest.raises(Invalid):
        services.answer_record(access=g, answer=auto, result="met", note="x")
    with pytest.raises(Forbidden):
        services.answer_record(
            access=_who(world, Role.STAFF),
            answer=answer,
            result="met",
            note="x",
        )
    answer.refresh_from_db()
    assert answer.result == "" and not answer.evidence.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.exe", b"MZ", "The file must be"),
        ("x.pdf", b"MZ\x90", "not a real .pdf"),
        ("x.csv", b"\xff\xfe\x00", "must be text"),
        ("x.pdf", b"", "empty"),
        ("x.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "smaller than"),
    ],
)
def test_evidence_files_are_checked(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(Invalid) as exc:
        check_file(name, data)
    assert message in exc.value.errors["file"]


@pytest.mark.django_db
def test_sign_off_needs_every_answer_and_the_siro(world: World) -> None:
    a = start_assessment(world)
    siro = _who(world, Role.SIRO)
    with pytest.raises(Invalid) as exc:
        services.assessment_sign_off(access=siro, assessment=a)
    assert "not answered yet" in exc.value.errors["answers"]
    answer_all(world, a)
    for role in (Role.GUARDIAN, Role.IAO):
        with pytest.raises(Forbidden):
            services.assessment_sign_off(
                access=_who(world, role), assessment=a
            )
    with pytest.raises(Forbidden):
        services.assessment_sign_off(
            access=access_for_user(world.central), assessment=a
        )
    before = AuditEvent.objects.count()
    services.assessment_sign_off(access=siro, assessment=a, note="Agreed")
    assert AuditEvent.objects.count() == before + 1
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SIGNED_OFF
    assert a.signed_off_by == world.a.people[Role.SIRO]


@pytest.mark.django_db
def test_signed_off_is_read_only(world: World) -> None:
    a = start_assessment(world)
    answer_all(world, a)
    services.assessment_sign_off(access=_who(world, Role.SIRO), assessment=a)
    answer = _manual(a)
    g = _who(world, Role.GUARDIAN)
    before = AuditEvent.objects.count()
    attempts = [
        lambda: services.answer_record(
            access=g, answer=answer, result="not met", note="x"
        ),
        lambda: services.evidence_add(
            access=g, answer=answer, links=[LinkIn("https://x.example")]
        ),
        lambda: services.assessment_recompute(access=g, assessment=a),
        lambda: services.assessment_sign_off(
            access=_who(world, Role.SIRO), assessment=a
        ),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    answer.refresh_from_db()
    assert answer.result == Result.MET
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_evidence_withdraw_keeps_it(world: World) -> None:
    a = start_assessment(world)
    answer = _manual(a)
    (item,) = services.evidence_add(
        access=_who(world, Role.GUARDIAN),
        answer=answer,
        links=[LinkIn("https://x.example/a")],
    )
    services.evidence_withdraw(
        access=_who(world, Role.GUARDIAN), evidence=item
    )
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    listed = selectors.answer_get(
        access=_who(world, Role.IAO), assessment=a, pk=answer.pk
    )
    assert listed.live_evidence == []  # type: ignore[attr-defined]
    with pytest.raises(Invalid):
        services.evidence_withdraw(
            access=_who(world, Role.GUARDIAN), evidence=item
        )


@pytest.mark.django_db
def test_old_version_stays_readable_after_a_new_one_loads(
    world: World, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from steward.controls.loading import catalogue_install
    from steward.controls.schema import CATALOGUE_DIR

    a = start_assessment(world)
    answer_all(world, a)
    old = a.version
    for f in CATALOGUE_DIR.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "dhp2008.yaml"
    text = path.read_text()
    path.write_text(
        text.replace('version: "2008-06"', 'version: "2009-03"').replace(
            "title: Accountable roles for information risk",
            "title: Accountable roles for information risk (revised)",
        )
    )
    catalogue_install(directory=tmp_path)
    new = FrameworkVersion.objects.get(
        framework__slug="dhp2008", is_current=True
    )
    assert new.pk != old.pk
    viewer = _who(world, Role.IAO)
    got = selectors.assessment_get(access=viewer, pk=a.pk)
    assert got.version == old
    titles = {
        x.requirement.title
        for x in selectors.answer_list(access=viewer, assessment=got)
    }
    assert "Accountable roles for information risk" in titles
    assert selectors.tally_of(got).answered == selectors.tally_of(got).total
    # The next period is assessed on the new version; the trend spans both.
    b = start_assessment(world, period="2009-10")
    assert b.version == new
    trend = selectors.organisation_trend(
        access=viewer, organisation=world.a.org, framework="dhp2008"
    )
    assert [p.assessment.period for p in trend] == ["2008-09", "2009-10"]
    rows = selectors.requirement_trend(access=viewer, trend=trend)
    roles = next(r for r in rows if r.urn == "urn:steward:dhp2008:roles")
    assert roles.title.endswith("(revised)")
    assert len(roles.results) == 2


@pytest.mark.django_db
def test_finding_resolves_once_its_actions_are_done(world: World) -> None:
    from steward.actions.services import action_create, action_update

    a = start_assessment(world)
    answer = _manual(a)
    g = _who(world, Role.GUARDIAN)
    services.answer_record(
        access=g, answer=answer, result="not met", note="No policy"
    )
    finding = Finding.objects.get(answer=answer)
    action = action_create(
        access=g,
        organisation=world.a.org,
        title="Write the policy",
        owner=world.a.people[Role.IAO],
        due=dt.date.today() + dt.timedelta(days=30),
        source_kind="finding",
        source_id=finding.pk,
    )
    with pytest.raises(Invalid) as exc:
        services.finding_resolve(access=g, finding=finding, note="Done")
    assert "1 action is still open" in exc.value.errors["actions"]
    with pytest.raises(Forbidden):
        services.finding_resolve(
            access=_who(world, Role.IAO), finding=finding, note="Done"
        )
    action_update(access=g, action=action, status="done", note="Written")
    before = AuditEvent.objects.count()
    services.finding_resolve(
        access=g, finding=finding, note="Policy approved by the board"
    )
    assert AuditEvent.objects.count() == before + 1
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESOLVED
    assert finding.resolved_by == world.a.people[Role.GUARDIAN]
    # A later answer that is again not met reopens it.
    services.answer_record(
        access=g, answer=answer, result="partly met", note="Policy lapsed"
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN and finding.resolution == ""
