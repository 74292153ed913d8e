"""The background worker verifies the whole ledger on a schedule, recorded
and audited like a verification from the Ledger page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from steward.audit.models import AuditEvent
from steward.audit.publishing import open_ledger, publish_pending
from steward.config import env_duration
from steward.trail import tasks
from steward.trail.models import LedgerVerification
from tests.world import World, signed_in_client

TASK = tasks.verify_ledger_on_schedule.module_path


@pytest.fixture
def scheduled(request, settings, tmp_path) -> World:
    """A published ledger, and the worker's task queue (the database
    backend) instead of the tests' run-at-once backend."""
    # The ledger first: in transactional tests the world's events are
    # published as they commit.
    settings.LEDGER_URL = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    settings.LEDGER_KEY_FILE = str(tmp_path / "ledger.key")
    world = request.getfixturevalue("world")
    with open_ledger() as log:
        publish_pending(log=log)
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
    return world


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK, status="READY"))


def run_worker() -> None:
    """What ``steward worker`` does, until no task is ready."""
    call_command("db_worker", "--batch", "--no-startup-delay",
                 "--queue-name", "default", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_worker_verifies_and_schedules_the_next_run(
    scheduled: World, settings
) -> None:
    settings.LEDGER_VERIFY_EVERY = timedelta(hours=6)
    # Never verified: due now, and queued once however often it is asked.
    first = tasks.schedule_ledger_verification()
    assert first is not None
    assert abs(first - timezone.now()) < timedelta(minutes=1)
    tasks.schedule_ledger_verification()
    assert len(queued()) == 1
    run_worker()

    check = LedgerVerification.objects.get()
    assert check.ok and check.size > 10
    audit = AuditEvent.objects.filter(action="ledger.verify").get()
    assert audit.actor_id == "system:ledger-verifier"
    assert audit.object_id == str(check.pk)
    # The worker also published that audit event to the ledger.
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    audit.refresh_from_db()
    assert audit.ledger_index is not None
    # The next run is queued for six hours after this one, not before.
    (next_run,) = queued()
    assert next_run.run_after == check.verified_at + timedelta(hours=6)
    assert tasks.next_scheduled_verification() == next_run.run_after
    run_worker()  # nothing is ready yet
    assert LedgerVerification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_verification_from_the_page_moves_the_schedule_on(
    scheduled: World, settings
) -> None:
    settings.LEDGER_VERIFY_EVERY = timedelta(days=1)
    tasks.schedule_ledger_verification()  # due now
    client = signed_in_client(scheduled.auditor)
    client.post("/audit/ledger/verify/")
    manual = LedgerVerification.objects.get()
    # The queued run finds nothing due: it verifies nothing, queues the
    # next for a day after the manual run, and the page says so.
    run_worker()
    assert LedgerVerification.objects.count() == 1
    (next_run,) = queued()
    assert next_run.run_after == manual.verified_at + timedelta(days=1)
    body = client.get("/audit/ledger/").content.decode()
    assert "Next automatic verification" in body
    due = timezone.localtime(next_run.run_after).strftime("%H:%M")
    assert "(every 1 day)" in body and due in body


@pytest.mark.django_db
def test_the_schedule_can_be_off(scheduled: World, settings) -> None:
    settings.LEDGER_VERIFY_EVERY = timedelta(0)
    assert tasks.schedule_ledger_verification() is None
    assert queued() == []
    body = signed_in_client(scheduled.central).get("/audit/ledger/")
    assert "Off: set STEWARD_LEDGER_VERIFY_EVERY" in body.content.decode()


@pytest.mark.django_db
def test_without_a_worker_the_page_says_it_is_not_scheduled(
    scheduled: World,
) -> None:
    body = signed_in_client(scheduled.auditor).get("/audit/ledger/")
    assert "Not scheduled: the background worker" in body.content.decode()


def test_the_interval_reads_a_number_and_a_unit(monkeypatch) -> None:
    name = "STEWARD_TEST_EVERY"
    default = timedelta(days=1)
    assert env_duration(name, default) == default
    for raw, expected in [("30m", timedelta(minutes=30)),
                          ("6h", timedelta(hours=6)), (" 2D ", timedelta(2)),
                          ("90s", timedelta(seconds=90)),
                          ("0s", timedelta(0))]:
        monkeypatch.setenv(name, raw)
        assert env_duration(name, default) == expected
    for bad in ["daily", "1.5h", "-1d", "10"]:
        monkeypatch.setenv(name, bad)
        with pytest.raises(ImproperlyConfigured, match=name):
            env_duration(name, default)
