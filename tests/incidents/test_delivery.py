"""Delivering notifications: the ICO notification reaches a real SMTP
server with every Art 33(3) item and no more personal data than the law
needs; a signed webhook reaches a real HTTP receiver that verifies the
signature on its own; failures are retried with backoff, each attempt is
in the delivery log, and a channel that keeps failing is given up,
audited and shown to the guardians, who may ask for another round."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from steward.audit.models import AuditEvent
from steward.incidents import delivery, services
from steward.incidents.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    Recipient,
)
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests import world as world_module
from tests.incidents.factories import graded
from tests.incidents.receivers import Hook, smtp_server, webhook_receiver
from tests.world import World, signed_in_client

SECRET = "s" * 40
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _guardian(world: World):  # type: ignore[no-untyped-def]
    return access_for_user(world.a.people[Role.GUARDIAN])


def _hook_settings(settings, url: str) -> None:  # type: ignore[no-untyped-def]
    recipients = dict(settings.STEWARD_INCIDENT_RECIPIENTS)
    recipients["ico"] = recipients["ico"] | {
        "webhook_url": url,
        "webhook_secret": SECRET,
    }
    settings.STEWARD_INCIDENT_RECIPIENTS = recipients


def _notify(world: World, capture, recipient: str = Recipient.ICO):  # type: ignore[no-untyped-def]
    incident = graded(world.a)
    with capture(execute=True):
        note = services.notification_make(
            access=_guardian(world),
            incident=incident,
            recipient=recipient,
            phase="initial",
        )
    return note


def _log(note: Notification, channel: str) -> list[tuple[int, str, str]]:
    return [
        (d.attempt, d.status, d.response)
        for d in Delivery.objects.filter(notification=note, channel=channel)
    ]


@pytest.mark.django_db
def test_ico_notification_reaches_a_real_smtp_server(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Every item of UK GDPR Art 33(3) is in the email; the free
    description, the reporter and their address are not."""
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = SMTP
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        note = _notify(world, django_capture_on_commit_callbacks)
    assert box.envelopes == [
        ("steward@localhost", ["breach-notifications@ico.example"])
    ]
    message = box.messages[0]
    assert message["Subject"] == (
        "Initial personal data breach notification: "
        f"{world.a.org.name} {note.incident.reference}"
    )
    body = message.get_content()
    guardian = world.a.people[Role.GUARDIAN]
    for line in (
        # (a) nature, categories and approximate numbers
        "Nature of the breach: Lost or stolen media, device or papers: "
        f"{note.incident.summary}",
        "Categories of people and data: Special-category data (UK GDPR "
        "Art 9); Case notes",
        "Approximate number of people: About 300",
        "Approximate number of records: About 1,200",
        # (b) contact point: the official's name and work address
        f"Contact point: {guardian.full_name} <{guardian.email}>, for "
        f"{world.a.org.name}",
        # (c) likely consequences
        "Likely consequences: Health details could be read by the thief",
        # (d) measures taken or proposed
        "Measures taken or proposed: Remote wipe requested; police informed",
    ):
        assert line in body
    staff = world.a.people[Role.STAFF]
    for private in (
        "Left on the back seat",  # the reporter's free description
        staff.full_name,
        staff.email,
    ):
        assert private not in body
    assert _log(note, "email") == [
        (1, DeliveryStatus.DELIVERED, "250 Message accepted for delivery")
    ]
    note.refresh_from_db()
    assert note.emailed_at is not None


@pytest.mark.django_db
def test_a_refused_email_is_retried_then_delivered(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with smtp_server() as (box, port):
        box.replies = ["451 Try again later"]
        settings.EMAIL_BACKEND = SMTP
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        note = _notify(world, django_capture_on_commit_callbacks)
    assert len(box.messages) == 1
    assert _log(note, "email") == [
        (1, DeliveryStatus.RETRYING, "451 Try again later"),
        (2, DeliveryStatus.DELIVERED, "250 Message accepted for delivery"),
    ]
    first = Delivery.objects.get(notification=note, attempt=1)
    assert first.next_retry_at == first.attempted_at + dt.timedelta(seconds=60)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_with_a_user_name_and_password(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Steward signs in to the server with the configured user name and
    password; a server that demands them gets the message only then."""
    settings.STEWARD_DELIVERY_ATTEMPTS = 1
    settings.EMAIL_BACKEND = SMTP
    with smtp_server(login=("steward", "mail-secret")) as (box, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        anonymous = _notify(world, django_capture_on_commit_callbacks)
        settings.EMAIL_HOST_USER = "steward"
        settings.EMAIL_HOST_PASSWORD = "mail-secret"
        signed_in = _notify(world, django_capture_on_commit_callbacks)
    assert _log(anonymous, "email") == [
        (1, DeliveryStatus.FAILED, "530 5.7.0 Authentication required")
    ]
    assert _log(signed_in, "email") == [
        (1, DeliveryStatus.DELIVERED, "250 Message accepted for delivery")
    ]
    assert len(box.messages) == 1


@pytest.mark.django_db
def test_no_smtp_server_is_a_failed_attempt(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from tests.incidents.receivers import free_port

    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.STEWARD_DELIVERY_ATTEMPTS = 2
    note = _notify(world, django_capture_on_commit_callbacks)
    assert _log(note, "email") == [
        (1, DeliveryStatus.RETRYING, "ConnectionRefusedError"),
        (2, DeliveryStatus.FAILED, "ConnectionRefusedError"),
    ]
    note.refresh_from_db()
    assert note.emailed_at is None


@pytest.mark.django_db
def test_webhook_receiver_verifies_the_signed_body(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    hook = Hook(secret=SECRET)
    with webhook_receiver(hook) as url:
        _hook_settings(settings, url)
        note = _notify(world, django_capture_on_commit_callbacks)
    [got] = hook.received
    assert got["verified"] is True
    assert got["headers"]["X-Steward-Delivery"] == str(note.pk)
    payload = json.loads(got["body"])
    assert payload["content"] == note.content
    assert payload["recipient"] == "ico"
    assert payload["reference"] == note.incident.reference
    assert "Left on the back seat" not in got["body"].decode()
    assert _log(note, "webhook") == [(1, DeliveryStatus.DELIVERED, "HTTP 204")]
    assert Delivery.objects.get(channel="webhook").destination == url
    # The email went too, through the test backend.
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_webhooks_go_only_to_the_recipient_configured(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The Cabinet Office has no webhook configured: email only."""
    hook = Hook(secret=SECRET)
    with webhook_receiver(hook) as url:
        _hook_settings(settings, url)
        note = _notify(
            world, django_capture_on_commit_callbacks, Recipient.CABINET_OFFICE
        )
    assert hook.received == []
    assert {d.channel for d in note.deliveries.all()} == {"email"}


@pytest.mark.django_db
def test_a_wrong_secret_is_refused_by_the_receiver(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.STEWARD_DELIVERY_ATTEMPTS = 1
    hook = Hook(secret="another secret of forty characters......")
    with webhook_receiver(hook) as url:
        _hook_settings(settings, url)
        note = _notify(world, django_capture_on_commit_callbacks)
    assert hook.received[0]["verified"] is False
    assert _log(note, "webhook") == [(1, DeliveryStatus.FAILED, "HTTP 401")]


@pytest.mark.django_db
def test_a_redirect_is_not_followed(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.STEWARD_DELIVERY_ATTEMPTS = 1
    hook = Hook(secret=SECRET, script=[302])
    with webhook_receiver(hook) as url:
        _hook_settings(settings, url)
        note = _notify(world, django_capture_on_commit_callbacks)
    assert len(hook.received) == 1
    assert _log(note, "webhook") == [(1, DeliveryStatus.FAILED, "HTTP 302")]


@pytest.mark.django_db
def test_gives_up_after_the_last_attempt_then_redelivers(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The permanent failure is audited and shown to the guardian, who
    may start another round once the receiver is fixed."""
    settings.STEWARD_DELIVERY_ATTEMPTS = 3
    hook = Hook(secret=SECRET, script=[500, 503, 500])
    with webhook_receiver(hook) as url:
        _hook_settings(settings, url)
        note = _notify(world, django_capture_on_commit_callbacks)
        assert _log(note, "webhook") == [
            (1, DeliveryStatus.RETRYING, "HTTP 500"),
            (2, DeliveryStatus.RETRYING, "HTTP 503"),
            (3, DeliveryStatus.FAILED, "HTTP 500"),
        ]
        assert list(
            AuditEvent.objects.filter(action__startswith="notification.")
            .order_by("pk")
            .values_list("action", flat=True)
        ) == [
            "notification.deliver",  # the email
            "notification.retry",
            "notification.retry",
            "notification.undeliverable",
        ]
        guardian = signed_in_client(world.a.people[Role.GUARDIAN])
        page = guardian.get(
            reverse("incidents:notification", args=[note.pk])
        ).content.decode()
        assert "Failed, no more retries" in page
        assert "HTTP 500" in page
        incident_page = guardian.get(
            reverse("incidents:detail", args=[note.incident.pk])
        ).content.decode()
        assert "could not be delivered" in incident_page
        listed = guardian.get(reverse("incidents:notifications"))
        assert "Signed webhook: Failed, no more retries" in (
            listed.content.decode()
        )
        assert "Email: Delivered" in listed.content.decode()
        regulator = signed_in_client(world.auditor).get(
            reverse("incidents:notifications")
        )
        assert note.incident.reference in regulator.content.decode()
        assert "Delivered" not in regulator.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = guardian.post(
                reverse("incidents:redeliver", args=[note.pk]),
                {"channel": "webhook"},
            )
        assert response.status_code == 302
    assert _log(note, "webhook")[3:] == [
        (4, DeliveryStatus.DELIVERED, "HTTP 204")
    ]


@pytest.mark.django_db
def test_redelivery_needs_a_failed_channel_and_a_handler(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from steward.common.errors import Forbidden, Invalid

    note = _notify(world, django_capture_on_commit_callbacks)
    with pytest.raises(Invalid) as exc:
        services.notification_redeliver(
            access=_guardian(world), notification=note, channel="email"
        )
    assert exc.value.errors == {
        "channel": "Only a delivery that has failed for good can be tried "
        "again"
    }
    with pytest.raises(Forbidden):
        services.notification_redeliver(
            access=access_for_user(world.a.people[Role.STAFF]),
            notification=note,
            channel="email",
        )


@pytest.mark.django_db
def test_only_the_delivery_job_records_deliveries(world: World) -> None:
    from steward.common.errors import Forbidden

    note = Notification(pk=1)
    with pytest.raises(Forbidden):
        services.delivery_record(
            access=_guardian(world),
            notification=note,
            channel="email",
            attempt=1,
            attempted_at=timezone.now(),
            delivered=True,
            response="250",
        )


def test_backoff_doubles(settings) -> None:  # type: ignore[no-untyped-def]
    settings.STEWARD_DELIVERY_BACKOFF_SECONDS = 60
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 7)] == [
        60,
        120,
        240,
        3840,
    ]


def test_signature_verification_refuses_tampering_and_replay() -> None:
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    stamp = str(int(now.timestamp()))
    body = b'{"id":1}'
    sig = delivery.signature(SECRET, stamp, body)
    ok = dict(secret=SECRET, body=body, timestamp=stamp, signature_header=sig)
    assert delivery.verify(**ok, now=now + dt.timedelta(minutes=4))
    assert not delivery.verify(**ok | {"body": b'{"id":2}'}, now=now)
    assert not delivery.verify(**ok | {"secret": "x" * 40}, now=now)
    # The timestamp is signed: changing it breaks the signature.
    assert not delivery.verify(**ok | {"timestamp": str(int(stamp) + 1)},
                               now=now)  # fmt: skip
    # A captured request replayed later is refused.
    assert not delivery.verify(**ok, now=now + dt.timedelta(minutes=6))
    assert not delivery.verify(**ok | {"timestamp": "soon"}, now=now)


def test_a_webhook_url_needs_a_long_secret(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ImproperlyConfigured

    from steward import settings as steward_settings

    monkeypatch.setenv("STEWARD_ICO_WEBHOOK_URL", "https://ico.example/h")
    monkeypatch.setenv("STEWARD_ICO_WEBHOOK_SECRET", "short")
    with pytest.raises(ImproperlyConfigured) as exc:
        steward_settings._recipient("ICO", "x@ico.example")
    assert str(exc.value) == (
        "STEWARD_ICO_WEBHOOK_SECRET must be at least 32 characters when "
        "STEWARD_ICO_WEBHOOK_URL is set"
    )
    monkeypatch.setenv("STEWARD_ICO_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("STEWARD_ICO_EMAIL", "breach@ico.example")
    assert steward_settings._recipient("ICO", "x@ico.example") == {
        "email": "breach@ico.example",
        "webhook_url": "https://ico.example/h",
        "webhook_secret": SECRET,
    }


# With the database task backend and its worker: retries wait.

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}


def _work() -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run()


def _due_now() -> int:
    """Move every deferred task to now, as if its wait had passed."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", run_after__gt=timezone.now()
    ).update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_worker_retries_with_backoff_until_the_receiver_recovers(
    settings,
) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    world = world_module.build()
    settings.TASKS = DB_TASKS
    hook = Hook(secret=SECRET, script=[503, 500])
    with webhook_receiver(hook) as url:
        _hook_settings(settings, url)
        incident = graded(world.a)
        note = services.notification_make(
            access=_guardian(world),
            incident=incident,
            recipient=Recipient.ICO,
            phase="initial",
        )
        _work()
        assert _log(note, "webhook") == [
            (1, DeliveryStatus.RETRYING, "HTTP 503")
        ]
        first = Delivery.objects.get(channel="webhook", attempt=1)
        waiting = DBTaskResult.objects.get(
            status="READY", task_path__endswith="deliver"
        )
        assert waiting.run_after == first.next_retry_at
        assert waiting.run_after - first.attempted_at == dt.timedelta(
            seconds=60
        )
        _work()  # not yet due: nothing runs
        assert len(hook.received) == 1
        assert _due_now() == 1
        _work()
        second = Delivery.objects.get(channel="webhook", attempt=2)
        assert second.next_retry_at - second.attempted_at == dt.timedelta(
            seconds=120
        )
        assert _due_now() == 1
        _work()
    assert _log(note, "webhook") == [
        (1, DeliveryStatus.RETRYING, "HTTP 503"),
        (2, DeliveryStatus.RETRYING, "HTTP 500"),
        (3, DeliveryStatus.DELIVERED, "HTTP 204"),
    ]
    assert [r["verified"] for r in hook.received] == [True, True, True]
    assert {r["headers"]["X-Steward-Attempt"] for r in hook.received} == {
        "1",
        "2",
        "3",
    }
    # Every retry carries the same body, signed afresh.
    assert len({r["body"] for r in hook.received}) == 1


@pytest.mark.django_db
def test_a_redelivery_round_starts_its_waits_again(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Attempt 9, the first of a second round, waits the base time, and
    the round has its own limit of attempts."""
    from steward.organisations.access import system_access

    settings.STEWARD_DELIVERY_ATTEMPTS = 8
    note = _notify(world, django_capture_on_commit_callbacks)
    now = timezone.now()
    kwargs = dict(
        access=system_access("delivery"),
        notification=note,
        channel="webhook",
        attempted_at=now,
        delivered=False,
        response="HTTP 500",
        first=9,
    )
    ninth = services.delivery_record(attempt=9, **kwargs)
    assert ninth.status == DeliveryStatus.RETRYING
    assert ninth.next_retry_at == now + dt.timedelta(seconds=60)
    last = services.delivery_record(attempt=16, **kwargs)
    assert last.status == DeliveryStatus.FAILED
    assert last.next_retry_at is None
