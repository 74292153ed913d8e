"""Record and learn: a guardian records the root cause (from a fixed
list, with words for 'Other') and the lessons, marks them to share, and
raises actions on the incident through the shared action plans; the
incident page lists them; staff and outsiders may not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.actions.models import Action
from steward.audit.models import AuditEvent
from steward.common.errors import Forbidden, Invalid
from steward.incidents import services
from steward.incidents.models import Incident
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.incidents.factories import ENCRYPTED, graded
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db


def _guardian(world: World):  # type: ignore[no-untyped-def]
    return access_for_user(world.a.people[Role.GUARDIAN])


def test_guardian_records_root_cause_and_lessons(world: World) -> None:
    incident = graded(world.a)
    services.incident_learn(
        access=_guardian(world),
        incident=incident,
        root_cause="unencrypted",
        root_cause_detail="  Laptop issued before encryption  ",
        lessons="Encrypt before issue",
        share_lessons=True,
    )
    incident.refresh_from_db()
    assert incident.get_root_cause_display() == (
        "Data or device not encrypted"
    )
    assert incident.root_cause_detail == "Laptop issued before encryption"
    assert incident.share_lessons and incident.learned_at
    event = AuditEvent.objects.filter(action="incident.learn").get()
    assert event.details == {"root_cause": "unencrypted",
                             "share_lessons": True}  # fmt: skip


def test_lessons_on_a_closed_incident(world: World) -> None:
    incident = graded(world.a, ENCRYPTED)
    services.incident_close(access=_guardian(world), incident=incident)
    services.incident_learn(
        access=_guardian(world), incident=incident, root_cause="human_error"
    )
    assert Incident.objects.get(pk=incident.pk).root_cause == "human_error"


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"root_cause": "bad"}, {"root_cause": "Choose the root cause"}),
        (
            {"root_cause": "other"},
            {"root_cause_detail": "Describe the root cause"},
        ),
        (
            {"root_cause": "human_error", "share_lessons": True},
            {"lessons": "Enter the lessons to share"},
        ),
    ],
)
def test_bad_lessons_change_nothing(
    world: World, kwargs: dict[str, object], errors: dict[str, str]
) -> None:
    incident = graded(world.a)
    with pytest.raises(Invalid) as exc:
        services.incident_learn(
            access=_guardian(world), incident=incident, **kwargs
        )
    assert exc.value.errors == errors
    assert Incident.objects.get(pk=incident.pk).root_cause == ""


def test_staff_may_not_record_lessons(world: World) -> None:
    incident = graded(world.a)
    with pytest.raises(Forbidden):
        services.incident_learn(
            access=access_for_user(world.a.people[Role.STAFF]),
            incident=incident,
            root_cause="human_error",
        )
    client = signed_in_client(world.a.people[Role.STAFF])
    url = reverse("incidents:learn", args=[incident.pk])
    assert client.get(url).status_code == 403


def test_learn_page_and_detail(world: World) -> None:
    incident = graded(world.a)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    url = reverse("incidents:learn", args=[incident.pk])
    response = client.post(url, {"root_cause": "other"})
    assert "Describe the root cause" in response.content.decode()
    response = client.post(
        url,
        {
            "root_cause": "procedure_not_followed",
            "lessons": "Use the courier, never internal post",
            "share_lessons": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "A procedure existed but was not followed" in page
    assert "Use the courier, never internal post" in page


def test_guardian_raises_an_action_on_the_incident(world: World) -> None:
    incident = graded(world.a)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    url = reverse("incidents:action_new", args=[incident.pk])
    assert client.get(url).status_code == 200
    due = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        url,
        {
            "organisation": world.a.org.code,
            "title": "Encrypt every laptop before issue",
            "owner": str(world.a.people[Role.IAO].pk),
            "due": due.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.source_kind, action.source_id) == ("incident", incident.pk)
    page = client.get(
        reverse("incidents:detail", args=[incident.pk])
    ).content.decode()
    assert "Encrypt every laptop before issue" in page
    # The action's page links back to the incident.
    action_page = client.get(
        reverse("actions:detail", args=[action.pk])
    ).content.decode()
    assert reverse("incidents:detail", args=[incident.pk]) in action_page


def test_staff_may_not_raise_actions_on_incidents(world: World) -> None:
    incident = graded(world.a)
    client = signed_in_client(world.a.people[Role.STAFF])
    url = reverse("incidents:action_new", args=[incident.pk])
    assert client.get(url).status_code in (403, 404)
    assert not Action.objects.exists()


def test_api_lessons(world: World) -> None:
    incident = graded(world.a)
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    url = reverse("api:incident_learn", kwargs={"incident_id": incident.pk})
    response = client.post(
        url,
        {"root_cause": "training", "lessons": "Train couriers"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["root_cause"] == "training"
    bad = client.post(
        url, {"root_cause": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 422
