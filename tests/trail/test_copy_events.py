"""Agents report data copies: batches, idempotency keys, an error per bad
event, and a rate limit."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client

from steward.audit.models import AuditEvent
from steward.trail.models import CopyReport
from tests.world import World

URL = "/api/v1/ledger/copy-events"


def _event(key: str, **changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "idempotency_key": key,
        "copied_at": "2026-11-24T09:30:00Z",
        "device": "LAPTOP-0042",
        "destination": "removable_media",
        "file_digests": [hashlib.sha256(key.encode()).hexdigest()],
        "byte_count": 1_048_576,
        "personal_data": {"UK_NINO": 25_000_000},
        "encrypted": False,
    }
    event.update(changes)
    return event


@pytest.fixture
def agent(world: World) -> Client:
    cache.clear()
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.a.api_secret}")


def _post(client: Client, events: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    return client.post(
        URL, {"events": events}, content_type="application/json"
    )


@pytest.mark.django_db
def test_a_batch_records_good_events_and_explains_bad_ones(
    agent: Client, world: World
) -> None:
    before = AuditEvent.objects.count()
    response = _post(
        agent,
        [
            _event("a1"),
            _event("a2", file_digests=["not-a-digest"]),
            _event("a3", copied_at="2026-11-24T09:30:00"),
            _event("a4", organisation="beta"),
            _event("a5", organisation="alpha-agency", destination="email"),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["duplicates"], body["rejected"]) == (2, 0, 3)
    statuses = [r["status"] for r in body["results"]]
    assert statuses == [
        "created",
        "rejected",
        "rejected",
        "rejected",
        "created",
    ]
    assert "file_digests.0" in body["results"][1]["errors"]
    assert "copied_at" in body["results"][2]["errors"]
    assert body["results"][3]["errors"] == {
        "organisation": "No organisation this key reaches has that code"
    }
    assert CopyReport.objects.count() == 2
    assert AuditEvent.objects.count() == before + 2
    event = AuditEvent.objects.filter(action="copy.record").first()
    assert event.details["personal_data"] == 25_000_000


@pytest.mark.django_db
def test_resending_is_harmless(agent: Client) -> None:
    _post(agent, [_event("k1")])
    response = _post(agent, [_event("k1"), _event("k1", device="OTHER")])
    assert [r["status"] for r in response.json()["results"]] == [
        "duplicate",
        "duplicate",
    ]
    assert CopyReport.objects.get().device == "LAPTOP-0042"


@pytest.mark.django_db
def test_a_wrong_key_is_refused(world: World) -> None:
    response = _post(
        Client(HTTP_AUTHORIZATION="Bearer stw_x_y"), [_event("z")]
    )
    assert response.status_code == 401
    assert CopyReport.objects.count() == 0


@pytest.mark.django_db
def test_an_empty_or_oversized_batch_is_refused(agent: Client) -> None:
    assert _post(agent, []).status_code == 422
    assert (
        _post(agent, [_event(str(i)) for i in range(501)]).status_code == 422
    )


@pytest.mark.django_db
def test_posting_is_rate_limited(agent: Client, settings) -> None:  # type: ignore[no-untyped-def]
    statuses = [
        _post(agent, [_event(f"r{i}")]).status_code for i in range(125)
    ]
    assert statuses[:120] == [200] * 120
    assert statuses[-1] == 429
