"""Reporting, completing, grading, overriding, notifying and closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from steward.audit.models import AuditEvent
from steward.common.errors import Forbidden, Invalid
from steward.incidents import selectors, services
from steward.incidents.models import AnnualCategory, Recipient, Status
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.incidents.factories import LAPTOP, graded, report
from tests.world import World

pytestmark = pytest.mark.django_db


def _guardian(world: World):  # type: ignore[no-untyped-def]
    return access_for_user(world.a.people[Role.GUARDIAN])


def test_staff_report_starts_the_clock(world: World) -> None:
    incident = report(world.a)
    assert incident.status == Status.REPORTED
    assert incident.deadline - incident.aware_at == dt.timedelta(hours=72)
    assert incident.reported_by == world.a.people[Role.STAFF]
    event = AuditEvent.objects.get(action="incident.report")
    assert event.details == {"assets": 0}


def test_the_regulator_cannot_report(world: World) -> None:
    with pytest.raises(Forbidden):
        report(world.a, access=access_for_user(world.auditor))


def test_another_department_cannot_report_here(world: World) -> None:
    with pytest.raises(Forbidden):
        report(world.a, access=access_for_user(world.b.people[Role.STAFF]))


def test_report_refuses_bad_input(world: World) -> None:
    with pytest.raises(Invalid) as exc:
        report(
            world.a,
            summary=" ",
            description="",
            aware_at=timezone.now() + dt.timedelta(days=1),
        )
    assert exc.value.errors == {
        "summary": "Enter what happened in a few words",
        "description": "Describe what happened",
        "aware_at": "When you found out must not be in the future",
    }
    with pytest.raises(Invalid) as exc:
        report(world.a, occurred_at=timezone.now())
    assert exc.value.errors == {
        "occurred_at": "When it happened must be before you found out"
    }


def test_guardian_completes_and_maps_to_annual_category(world: World) -> None:
    incident = report(world.a)
    incident = services.incident_complete(
        access=_guardian(world), incident=incident, data=LAPTOP
    )
    assert incident.annual_category == AnnualCategory.OUTSIDE
    assert incident.individuals == 300


def test_lost_device_needs_where(world: World) -> None:
    incident = report(world.a)
    with pytest.raises(Invalid) as exc:
        services.incident_complete(
            access=_guardian(world),
            incident=incident,
            data=LAPTOP | {"on_premises": None},
        )
    assert exc.value.errors == {
        "on_premises": "Say whether it was lost inside secured Government "
        "premises"
    }


def test_staff_cannot_complete_or_grade(world: World) -> None:
    incident = report(world.a)
    staff = access_for_user(world.a.people[Role.STAFF])
    with pytest.raises(Forbidden):
        services.incident_complete(access=staff, incident=incident, data={})
    with pytest.raises(Forbidden):
        services.incident_grade(
            access=staff, incident=incident, likelihood=3, severity=3
        )


def test_grade_needs_the_facts(world: World) -> None:
    incident = report(world.a)
    with pytest.raises(Invalid) as exc:
        services.incident_grade(
            access=_guardian(world), incident=incident, likelihood=3,
            severity=2,
        )  # fmt: skip
    assert exc.value.errors == {
        "kind": "Complete the incident's facts before grading it"
    }


def test_grading_records_decisions_and_reasons(world: World) -> None:
    incident = graded(world.a)
    assert incident.status == Status.GRADED
    # Health data raises minor to adverse: notifiable, not high risk.
    assert incident.notifiable is True
    assert incident.tell_subjects is False
    assert incident.severity == 2
    assert any("Special-category" in r for r in incident.reasons)


def test_override_needs_a_reason(world: World) -> None:
    incident = graded(world.a)
    with pytest.raises(Invalid) as exc:
        services.incident_override(
            access=_guardian(world),
            incident=incident,
            notifiable=False,
            tell_subjects=False,
            reason=" ",
        )
    assert exc.value.errors == {
        "reason": "Enter why the grade is being overridden"
    }
    incident = services.incident_override(
        access=_guardian(world),
        incident=incident,
        notifiable=False,
        tell_subjects=False,
        reason="Laptop recovered unopened within the hour",
    )
    assert incident.overridden
    assert incident.notifiable is False


def test_phased_notification(world: World) -> None:
    incident = graded(world.a)
    g = _guardian(world)
    with pytest.raises(Invalid) as exc:
        services.notification_make(
            access=g, incident=incident, recipient="ico", phase="final"
        )
    assert exc.value.errors == {"phase": "Make the initial notification first"}
    with pytest.raises(Invalid):
        services.notification_make(
            access=g, incident=incident, recipient="ico", phase="oops"
        )
    for phase in ("initial", "follow_up", "final"):
        services.notification_make(
            access=g, incident=incident, recipient="ico", phase=phase
        )
    with pytest.raises(Invalid) as exc:
        services.notification_make(
            access=g, incident=incident, recipient="ico", phase="follow_up"
        )
    assert exc.value.errors == {
        "phase": "The final notification has been made"
    }
    incident.refresh_from_db()
    assert incident.status == Status.NOTIFIED


def test_late_notification_needs_reasons_for_delay(world: World) -> None:
    incident = graded(
        world.a,
        aware_at=timezone.now() - dt.timedelta(hours=80),
        occurred_at=None,
    )
    g = _guardian(world)
    with pytest.raises(Invalid) as exc:
        services.notification_make(
            access=g, incident=incident, recipient="ico", phase="initial"
        )
    assert exc.value.errors == {
        "delay_reason": "The 72 hours have passed: enter the reasons for "
        "the delay (UK GDPR Art 33(1))"
    }
    note = services.notification_make(
        access=g,
        incident=incident,
        recipient="ico",
        phase="initial",
        delay_reason="The loss was reported to us by the courier late",
    )
    assert note.late
    assert note.content["reasons_for_delay"].startswith("The loss")


def test_ico_notification_has_every_art_33_3_item(world: World) -> None:
    incident = graded(world.a)
    note = services.notification_make(
        access=_guardian(world),
        incident=incident,
        recipient=Recipient.ICO,
        phase="initial",
    )
    c = note.content
    assert c["nature"].startswith("Lost or stolen media, device or papers")
    assert c["approximate_data_subjects"] == "About 300"
    assert c["approximate_records"] == "About 1,200"
    assert "Special-category data (UK GDPR Art 9)" in c[
        "data_subject_categories"
    ]
    guardian = world.a.people[Role.GUARDIAN]
    assert c["contact_point"] == (
        f"{guardian.full_name} <{guardian.email}>, for {world.a.org.name}"
    )
    assert c["likely_consequences"] == LAPTOP["consequences"]
    assert c["measures_taken_or_proposed"] == LAPTOP["containment"]
    # The free description (which may name people) is not sent.
    assert "window was smashed" not in str(c)


def test_notification_is_emailed_after_commit(
    world: World, django_capture_on_commit_callbacks, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    incident = graded(world.a)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_make(
            access=_guardian(world),
            incident=incident,
            recipient=Recipient.ICO,
            phase="initial",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["breach-notifications@ico.example"]
    assert "Likely consequences: Health details" in message.body
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_close_needs_the_ico_notified(world: World) -> None:
    incident = graded(world.a)
    g = _guardian(world)
    with pytest.raises(Invalid):
        services.incident_close(access=g, incident=incident)
    services.notification_make(
        access=g, incident=incident, recipient="ico", phase="initial"
    )
    assert services.incident_close(access=g, incident=incident).status == (
        Status.CLOSED
    )


def test_who_sees_what(world: World) -> None:
    """Guardians see the register; staff their own reports; the other
    department nothing; the regulator and the central team see the
    notifications addressed to them and no incident."""
    incident = graded(world.a)
    g = _guardian(world)
    services.notification_make(
        access=g, incident=incident, recipient="ico", phase="initial"
    )
    services.notification_make(
        access=g, incident=incident, recipient="cabinet_office",
        phase="initial",
    )  # fmt: skip

    def seen(user):  # type: ignore[no-untyped-def]
        return list(selectors.incident_list(access=access_for_user(user)))

    assert seen(world.a.people[Role.GUARDIAN]) == [incident]
    assert seen(world.a.people[Role.STAFF]) == [incident]
    assert seen(world.a.people[Role.IAO]) == []
    assert seen(world.b.people[Role.GUARDIAN]) == []
    assert seen(world.auditor) == []
    ico = selectors.notification_list(access=access_for_user(world.auditor))
    assert [n.recipient for n in ico] == ["ico"]
    assert selectors.notification_list(
        access=access_for_user(world.b.people[Role.SIRO])
    ).count() == 0
