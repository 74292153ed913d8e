"""The isolation matrix: nobody sees or changes another department's
records, and nobody takes an action their role does not allow.

Every URL and API endpoint is discovered from the URL conf. A route that
takes arguments must say here which of department A's records it reaches;
a new route that is not listed fails ``test_every_route_is_in_the_matrix``
until it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.assets.models import Asset, Change, Status
from steward.audit.models import AuditEvent
from steward.organisations.access import access_for_user
from steward.organisations.models import Membership, Role
from tests.assets.factories import make_asset
from tests.platform.urlmap import routes
from tests.world import MARKER, World, signed_in_client

# For each route with arguments: how to point it at department A's records.
TARGETS: dict[str, Callable[[World], dict[str, Any]]] = {
    "organisations:detail": lambda w: {"code": w.a.org.code},
    "organisations:person_add": lambda w: {"code": w.a.org.code},
    "organisations:appoint_siro": lambda w: {"code": w.a.org.code},
    "organisations:apikeys": lambda w: {"code": w.a.agency.code},
    "organisations:membership_revoke": lambda w: {
        "code": w.a.org.code,
        "pk": _staff_membership(w).pk,
    },
    "organisations:apikey_revoke": lambda w: {
        "code": w.a.org.code,
        "pk": w.a.api_key.pk,
    },
    "api:organisation_get": lambda w: {"code": w.a.agency.code},
    "api:membership_list": lambda w: {"code": w.a.org.code},
    "api:siro_history": lambda w: {"code": w.a.org.code},
    # The same paths as the two above, for POST.
    "api:membership_create": lambda w: {"code": w.a.org.code},
    "api:siro_appoint": lambda w: {"code": w.a.org.code},
    "api:membership_revoke": lambda w: {
        "code": w.a.org.code,
        "role_id": _staff_membership(w).pk,
    },
    "assets:detail": lambda w: {"pk": _asset(w).pk},
    "assets:edit": lambda w: {"pk": _asset(w).pk},
    "assets:close": lambda w: {"pk": _asset(w).pk},
    "assets:review": lambda w: {"pk": _asset(w).pk},
    "api:asset_get": lambda w: {"asset_id": _asset(w).pk},
    # The same path as the one above, for PATCH (and POST: 405).
    "api:asset_update": lambda w: {"asset_id": _asset(w).pk},
    "api:asset_close": lambda w: {"asset_id": _asset(w).pk},
    "api:asset_review": lambda w: {"asset_id": _asset(w).pk},
    "api:asset_history": lambda w: {"asset_id": _asset(w).pk},
}
TARGETS |= {
    "scans:detail": lambda w: {"pk": _scan(w).pk},
    "scans:location_scan": lambda w: {"pk": _scan(w).location.pk},
    "api:run_get": lambda w: {"run_id": _scan(w).pk},
}
TARGETS |= {
    "incidents:detail": lambda w: {"pk": _incident(w).pk},
    "incidents:complete": lambda w: {"pk": _incident(w).pk},
    "incidents:grade": lambda w: {"pk": _incident(w).pk},
    "incidents:override": lambda w: {"pk": _incident(w).pk},
    "incidents:notify": lambda w: {"pk": _incident(w).pk},
    "incidents:close": lambda w: {"pk": _incident(w).pk},
    # A's notification to the Cabinet Office: not the regulator's either.
    "incidents:notification": lambda w: {"pk": _notification(w).pk},
    "api:incident_get": lambda w: {"incident_id": _incident(w).pk},
    "api:notification_get": lambda w: {
        "notification_id": _notification(w).pk
    },
    "incidents:learn": lambda w: {"pk": _incident(w).pk},
    "incidents:action_new": lambda w: {"pk": _incident(w).pk},
    "incidents:redeliver": lambda w: {"pk": _notification(w).pk},
    "api:incident_learn": lambda w: {"incident_id": _incident(w).pk},
    "api:notification_deliveries": lambda w: {
        "notification_id": _notification(w).pk
    },
}
TARGETS |= {
    "actions:detail": lambda w: {"pk": _action(w).pk},
    "api:action_get": lambda w: {"action_id": _action(w).pk},
    # The same path as the one above, for PATCH (and POST: 405).
    "api:action_update": lambda w: {"action_id": _action(w).pk},
}
TARGETS |= {
    "assessments:detail": lambda w: {"pk": _assessment(w).pk},
    "assessments:export": lambda w: {"pk": _assessment(w).pk},
    "assessments:oscal": lambda w: {"pk": _assessment(w).pk},
    "assessments:recompute": lambda w: {"pk": _assessment(w).pk},
    "assessments:sign_off": lambda w: {"pk": _assessment(w).pk},
    "assessments:answer": lambda w: {
        "pk": _assessment(w).pk,
        "answer": _answer(w).pk,
    },
    "assessments:evidence": lambda w: {"pk": _evidence(w).pk},
    "assessments:evidence_withdraw": lambda w: {"pk": _evidence(w).pk},
    "assessments:finding": lambda w: {"pk": _finding(w).pk},
    "assessments:finding_resolve": lambda w: {"pk": _finding(w).pk},
    "assessments:position": lambda w: {"code": w.a.org.code},
    "api:assessment_get": lambda w: {"assessment_id": _assessment(w).pk},
    "api:assessment_recompute": lambda w: {"assessment_id": _assessment(w).pk},
    "api:assessment_sign_off": lambda w: {"assessment_id": _assessment(w).pk},
    "api:answer_put": lambda w: {
        "assessment_id": _assessment(w).pk,
        "answer_id": _answer(w).pk,
    },
    "api:evidence_upload": lambda w: {
        "assessment_id": _assessment(w).pk,
        "answer_id": _answer(w).pk,
    },
    "api:finding_get": lambda w: {"finding_id": _finding(w).pk},
    "api:finding_resolve": lambda w: {"finding_id": _finding(w).pk},
    "api:organisation_scores": lambda w: {"code": w.a.org.code},
}
# Routes with arguments that reach no organisation's records.
TARGETS |= {
    "controls:coverage": lambda w: {"code": w.a.org.code},
    "api:coverage_get": lambda w: {"code": w.a.org.code},
}
NOT_ORGANISATION_DATA = {
    "actions:export",  # the viewer's own list, as a file (tested there)
    "controls:detail",
    "api:framework_get",
    "accounts:reset_confirm",
}
# Routes outside the matrix, with the test that covers them.
ELSEWHERE = {
    "admin": "tests/platform/test_admin.py",
    # The ledger spans departments and is read by the regulator and the
    # central team only (403 for everyone else).
    "api:entry": "tests/trail/test_ledger.py",
}

# A body for every write, valid enough to reach the scope check.
BODIES = {
    "organisations:person_add": {
        "email": "new@example.org",
        "full_name": "New Person",
        "role": "staff",
    },
    "organisations:appoint_siro": {"email": "iao@alpha.example"},
    "organisations:apikeys": {"name": "Key", "role": "staff"},
    "assets:edit": {"name": "Renamed", "reason": "x"},
    "assets:close": {"reason": "Closed by an outsider"},
    "incidents:complete": {"kind": "other"},
    "incidents:grade": {"likelihood": "5", "severity": "5"},
    "incidents:override": {
        "notifiable": "no",
        "tell_subjects": "no",
        "reason": "Outsider",
    },
    "incidents:notify": {"recipient": "ico", "phase": "initial"},
    "actions:detail": {"status": "done", "note": "Outsider"},
    "assessments:answer": {"result": "met", "note": "Answered"},
    "assessments:sign_off": {"confirm": "on"},
    "assessments:finding": {"title": "", "owner": "", "due": ""},
    "assessments:finding_resolve": {"note": "Put right by an outsider"},
    "incidents:learn": {
        "root_cause": "human_error",
        "lessons": "Outsider",
        "share_lessons": "on",
    },
    "incidents:action_new": {
        "title": "Outsider's action",
        "due": "1/1/2030",
    },
    "incidents:redeliver": {"channel": "email"},
}
API_BODIES = {
    "api:membership_list": {
        "email": "new@example.org",
        "full_name": "New",
        "role": "staff",
    },
    "api:siro_history": {"email": "staff@beta.example"},
}
API_BODIES["api:assessment_sign_off"] = {"note": "Outsider"}
API_BODIES["api:assessment_recompute"] = {}
API_BODIES["api:finding_resolve"] = {"note": "Put right by an outsider"}
API_BODIES["api:asset_close"] = {"reason": "Closed by an outsider"}
API_BODIES["api:incident_learn"] = {"root_cause": "human_error"}
API_BODIES["api:asset_get"] = {"name": "Renamed"}
API_BODIES["api:asset_update"] = API_BODIES["api:asset_get"]
API_BODIES["api:membership_create"] = API_BODIES["api:membership_list"]
API_BODIES["api:siro_appoint"] = API_BODIES["api:siro_history"]


@pytest.fixture(autouse=True)
def _department_a_asset(request: pytest.FixtureRequest) -> None:
    """Department A registers an asset (named with the marker) before
    the matrix runs, so that its URLs have a record to reach."""
    if "world" in request.fixturenames:
        make_asset(request.getfixturevalue("world").a, reference="MATRIX")


@pytest.fixture(autouse=True)
def _department_a_incident(request: pytest.FixtureRequest) -> None:
    """Department A's staff report an incident and its guardian tells
    the Cabinet Office, so that the incident routes have records."""
    if "world" in request.fixturenames:
        from steward.incidents import services as incident_services
        from tests.incidents.factories import report

        w = request.getfixturevalue("world")
        incident_services.notification_make(
            access=access_for_user(w.a.people[Role.GUARDIAN]),
            incident=report(w.a),
            recipient="cabinet_office",
            phase="initial",
        )


@pytest.fixture(autouse=True)
def _department_a_assessment(request: pytest.FixtureRequest) -> None:
    """Department A's guardian starts an assessment and answers a
    requirement not met, with a file: an assessment, an answer, evidence
    and a finding for the assessment routes."""
    if "world" in request.fixturenames:
        from steward.controls.evidence import check_file
        from steward.controls.models import AnswerSource
        from steward.controls.services import answer_record
        from tests.controls.factories import start_assessment

        w = request.getfixturevalue("world")
        a = start_assessment(w)
        answer_record(
            access=access_for_user(w.a.people[Role.GUARDIAN]),
            answer=a.answers.filter(source=AnswerSource.MANUAL).first(),
            result="not met",
            note=f"{MARKER} has no policy",
            files=[
                check_file(f"{MARKER}.pdf", b"%PDF-1.4 " + MARKER.encode())
            ],
        )


def _assessment(w: World):  # type: ignore[no-untyped-def]
    from steward.controls.models import Assessment

    return Assessment.objects.get(organisation=w.a.org)


def _answer(w: World):  # type: ignore[no-untyped-def]
    """The manual answer the fixture answered (the first by position)."""
    from steward.controls.models import Answer

    return (
        Answer.objects.filter(
            assessment__organisation=w.a.org, source="manual"
        )
        .order_by("requirement__position")
        .first()
    )


def _evidence(w: World):  # type: ignore[no-untyped-def]
    from steward.controls.models import Evidence

    return Evidence.objects.get(answer=_answer(w))


def _finding(w: World):  # type: ignore[no-untyped-def]
    from steward.controls.models import Finding

    return Finding.objects.get(answer=_answer(w))


@pytest.fixture(autouse=True)
def _department_a_action(request: pytest.FixtureRequest) -> None:
    """Department A's guardian raises an action for the action routes."""
    if "world" in request.fixturenames:
        from tests.actions.factories import raise_action

        raise_action(request.getfixturevalue("world").a)


def _action(w: World):  # type: ignore[no-untyped-def]
    from steward.actions.models import Action

    return Action.objects.get(organisation=w.a.org)


def _incident(w: World):  # type: ignore[no-untyped-def]
    from steward.incidents.models import Incident

    return Incident.objects.get(organisation=w.a.org)


def _notification(w: World):  # type: ignore[no-untyped-def]
    from steward.incidents.models import Notification

    return Notification.objects.get(incident__organisation=w.a.org)


def _asset(w: World) -> Asset:
    return Asset.objects.get(organisation=w.a.org, reference="MATRIX")


def _scan(w: World):  # type: ignore[no-untyped-def]
    """Department A's scan location and a finished scan of it."""
    from steward.scans.models import ScanLocation, ScanRun

    location, _ = ScanLocation.objects.get_or_create(
        organisation=w.a.org, name=f"{MARKER} share", target="/srv/a")
    run = ScanRun.objects.filter(location=location).first()
    return run or ScanRun.objects.create(
        organisation=w.a.org, location=location, source="job")


def _staff_membership(w: World) -> Membership:
    return Membership.objects.get(
        user=w.a.people[Role.STAFF], organisation=w.a.org
    )


def _state() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        Membership.objects.count(),
        Membership.objects.filter(revoked_at__isnull=False).count(),
        Change.objects.count(),
        Asset.objects.filter(status=Status.ACTIVE).count(),
        *_incident_state(),
        *_action_state(),
        *_assessment_state(),
    )


def _assessment_state() -> tuple[int, ...]:
    from steward.controls.models import (
        Answer,
        Assessment,
        CheckRun,
        Evidence,
        Finding,
    )

    return (
        Assessment.objects.count(),
        Assessment.objects.filter(status="signed_off").count(),
        CheckRun.objects.count(),
        Answer.objects.exclude(result="").count(),
        Answer.objects.filter(result="met").count(),
        Evidence.objects.count(),
        Evidence.objects.filter(withdrawn_at__isnull=False).count(),
        Finding.objects.count(),
        Finding.objects.filter(status="open").count(),
    )


def _action_state() -> tuple[int, ...]:
    from steward.actions.models import Action, ActionUpdate

    return (
        Action.objects.count(),
        Action.objects.exclude(status="open").count(),
        ActionUpdate.objects.count(),
    )


def _incident_state() -> tuple[int, ...]:
    from steward.incidents.models import Delivery, Incident, Notification

    return (
        Incident.objects.count(),
        Incident.objects.exclude(status="reported").count(),
        Incident.objects.exclude(kind="").count(),
        Incident.objects.exclude(root_cause="").count(),
        Notification.objects.count(),
        Delivery.objects.count(),
    )


def _outsiders(w: World) -> dict[str, Client]:
    clients = {f"b.{r}": signed_in_client(u) for r, u in w.b.people.items()}
    clients["auditor"] = signed_in_client(w.auditor)
    key_client = Client(HTTP_AUTHORIZATION=f"Bearer {w.b.api_secret}")
    clients["b.api-key"] = key_client
    return clients


def test_every_route_is_in_the_matrix() -> None:
    """Fails for a route with arguments that the matrix does not cover."""
    missing = [
        r.name
        for r in routes()
        if r.kwargs
        and r.name not in TARGETS
        and r.name not in NOT_ORGANISATION_DATA
        and r.name.split(":")[0] not in ELSEWHERE
        and r.name not in ELSEWHERE
    ]
    assert missing == []


def _url(name: str, world: World) -> str:
    kwargs = TARGETS[name](world) if name in TARGETS else {}
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
def test_outsiders_get_404_for_department_a_records(world: World) -> None:
    """Every role in department B, B's API key and the regulator: each
    record of A is 'not found' (or, for the regulator, forbidden), the
    response names nothing of A, and nothing changes."""
    before = _state()
    failures = []
    for who, client in _outsiders(world).items():
        for name in TARGETS:
            url = _url(name, world)
            for method in ("get", "post"):
                body = (API_BODIES if name.startswith("api:") else BODIES).get(
                    name, {}
                )
                if name.startswith("api:"):
                    response = getattr(client, method)(
                        url, body, content_type="application/json"
                    )
                else:
                    response = getattr(client, method)(url, body)
                allowed = {404, 405}  # 405: wrong method, nothing shown
                if who == "auditor":
                    allowed |= {403}
                if who == "b.api-key" and not name.startswith("api:"):
                    allowed = {302}  # pages need a signed-in person
                if response.status_code not in allowed:
                    failures.append((who, method, url, response.status_code))
                if MARKER in response.content.decode(errors="replace"):
                    failures.append((who, method, url, "shows A's data"))
    assert failures == []
    assert _state() == before


@pytest.mark.django_db
def test_lists_show_outsiders_nothing_of_department_a(world: World) -> None:
    """Every page and endpoint without arguments, fetched by every
    outsider, names nothing of department A."""
    failures = []
    for who, client in _outsiders(world).items():
        for route in routes():
            if route.kwargs or route.name.split(":")[0] in ELSEWHERE:
                continue
            response = client.get(reverse(route.name))
            if MARKER in response.content.decode(errors="replace"):
                failures.append((who, route.name))
            if response.status_code >= 500:
                failures.append((who, route.name, response.status_code))
    assert failures == []


# Who in department A may do each action on A's own records.
ACTIONS = {
    ("post", "organisations:person_add"): {Role.SIRO},
    ("get", "organisations:person_add"): {Role.SIRO},
    ("get", "organisations:appoint_siro"): {Role.SIRO},
    ("get", "organisations:apikeys"): {Role.SIRO, Role.GUARDIAN},
    ("post", "organisations:apikeys"): {Role.SIRO, Role.GUARDIAN},
    ("post", "organisations:membership_revoke"): {Role.SIRO},
    ("post", "organisations:apikey_revoke"): {Role.SIRO, Role.GUARDIAN},
    ("get", "organisations:detail"): {
        Role.SIRO,
        Role.IAO,
        Role.GUARDIAN,
        Role.STAFF,
    },
    ("get", "assets:detail"): {
        Role.SIRO,
        Role.IAO,
        Role.GUARDIAN,
        Role.STAFF,
    },
    ("get", "assets:create"): {Role.SIRO, Role.IAO},
    ("get", "assets:import"): {Role.SIRO, Role.IAO},
    ("get", "assets:overview"): {Role.SIRO},
    ("get", "assets:edit"): {Role.SIRO, Role.IAO},
    ("post", "assets:edit"): {Role.SIRO, Role.IAO},
    ("post", "assets:review"): {Role.SIRO, Role.IAO},
    ("get", "assets:close"): {Role.SIRO, Role.IAO},
    # After the other asset actions: closing ends its changes.
    ("post", "assets:close"): {Role.SIRO, Role.IAO},
    ("get", "assessments:start"): {Role.SIRO, Role.GUARDIAN},
    ("get", "assessments:detail"): {Role.SIRO, Role.IAO, Role.GUARDIAN},
    ("get", "assessments:position"): {Role.SIRO, Role.IAO, Role.GUARDIAN},
    ("get", "assessments:answer"): {Role.SIRO, Role.IAO, Role.GUARDIAN},
    ("post", "assessments:answer"): {Role.SIRO, Role.IAO, Role.GUARDIAN},
    ("post", "assessments:finding"): {Role.SIRO, Role.IAO, Role.GUARDIAN},
    ("post", "assessments:recompute"): {Role.SIRO, Role.GUARDIAN},
    ("post", "assessments:evidence_withdraw"): {
        Role.SIRO,
        Role.IAO,
        Role.GUARDIAN,
    },
    ("get", "assessments:sign_off"): {Role.SIRO},
    ("post", "assessments:finding_resolve"): {Role.SIRO, Role.GUARDIAN},
    # Last: a SIRO who hands over is no longer the SIRO.
    ("post", "organisations:appoint_siro"): {Role.SIRO},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.IAO, Role.GUARDIAN, Role.STAFF, Role.SIRO]
)
def test_roles_in_scope_get_403_for_actions_they_may_not_take(
    world: World, role: str
) -> None:
    client = signed_in_client(world.a.people[role])
    for (method, name), allowed in ACTIONS.items():
        before = _state()
        response = getattr(client, method)(
            _url(name, world), BODIES.get(name, {})
        )
        if role in allowed:
            assert response.status_code in (200, 302), (method, name)
        else:
            assert response.status_code == 403, (method, name, role)
            assert _state() == before, (method, name, role)


@pytest.mark.django_db
def test_api_write_needs_the_role(world: World) -> None:
    """Staff and the guardian's API key may read A's roles but not grant
    them; A's SIRO may."""
    url = reverse("api:membership_list", kwargs={"code": world.a.org.code})
    body = {"email": "new@example.org", "full_name": "New", "role": "staff"}
    for client in (
        signed_in_client(world.a.people[Role.STAFF]),
        Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}"),
    ):
        assert client.get(url).status_code == 200
        before = _state()
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Your role does not allow granting that role here"
        }
        assert _state() == before
    siro = signed_in_client(world.a.people[Role.SIRO])
    response = siro.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["role"] == "staff"


@pytest.mark.django_db
def test_the_regulator_sees_ico_notifications_and_nothing_else(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A's guardian notifies the ICO: the regulator reads that
    notification (page and API) but not its delivery log, the incident,
    the register, its export, the themes, the Cabinet Office's
    notification or anything of B."""
    from steward.incidents import services as incident_services
    from steward.incidents.models import Notification
    from tests.incidents.factories import graded

    guardian = access_for_user(world.a.people[Role.GUARDIAN])
    incident = graded(world.a)
    with django_capture_on_commit_callbacks(execute=True):
        ico = incident_services.notification_make(
            access=guardian, incident=incident, recipient="ico",
            phase="initial")  # fmt: skip
    cabinet = Notification.objects.get(
        incident__organisation=world.a.org, recipient="cabinet_office"
    )
    client = signed_in_client(world.auditor)
    page = client.get(reverse("incidents:notification", args=[ico.pk]))
    assert page.status_code == 200
    assert incident.summary in page.content.decode()
    assert "Delivery log" not in page.content.decode()
    api = client.get(reverse("api:notification_get",
                             kwargs={"notification_id": ico.pk}))  # fmt: skip
    assert api.status_code == 200 and api.json()["recipient"] == "ico"
    deliveries = client.get(reverse(
        "api:notification_deliveries", kwargs={"notification_id": ico.pk}))
    assert deliveries.status_code == 200 and deliveries.json() == []
    listed = client.get(reverse("api:notification_list")).json()["items"]
    assert [n["id"] for n in listed] == [ico.pk]
    assert client.get(
        reverse("incidents:notification", args=[cabinet.pk])
    ).status_code == 404
    for name in (
        "incidents:list",
        "incidents:themes",
        "incidents:export_csv",
        "incidents:export_xlsx",
        "incidents:report",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    for name, kwargs in (
        ("incidents:detail", {"pk": incident.pk}),
        ("incidents:learn", {"pk": incident.pk}),
        ("incidents:action_new", {"pk": incident.pk}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    assert client.post(
        reverse("incidents:redeliver", args=[ico.pk]), {"channel": "email"}
    ).status_code == 403
    assert client.get(
        reverse("api:incident_get", kwargs={"incident_id": incident.pk})
    ).status_code == 404
    assert client.get(reverse("api:incident_themes")).status_code == 403
    export = client.get(reverse("api:incident_export"))
    assert export.content.decode("utf-8-sig").count("\n") == 1  # header
