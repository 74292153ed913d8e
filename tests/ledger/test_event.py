"""The event schema: validated fields and one canonical encoding."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from steward.ledger import Event, EventError
from steward.ledger.event import MAX_EVENT_BYTES

DIGEST = "ab" * 32
WHEN = datetime(2026, 11, 24, 16, 30, 0, 123456, tzinfo=UTC)
ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


def make(**changes):
    fields = dict(id=ID, time=WHEN, actor="user:42", organisation="org:hmrc",
                  action="asset.create", object_type="asset",
                  object_id="7", digest=DIGEST,
                  details={"rows": 10, "sensitive": True, "note": None})
    fields.update(changes)
    return Event(**fields)


def test_canonical_bytes():
    """Sorted keys, no whitespace, a v field, RFC 3339 UTC with Z."""
    data = make().to_bytes()
    assert data == (
        b'{"action":"asset.create","actor":"user:42","details":{"note":null,'
        b'"rows":10,"sensitive":true},"digest":"' + DIGEST.encode()
        + b'","id":"12345678-1234-5678-1234-567812345678",'
        b'"object_id":"7","object_type":"asset","organisation":"org:hmrc",'
        b'"time":"2026-11-24T16:30:00.123456Z","v":1}'
    )


def test_round_trip():
    """from_bytes(to_bytes(e)) == e."""
    event = make()
    assert Event.from_bytes(event.to_bytes()) == event


def test_create_fills_id_and_time():
    """Event.create gives a UUID and the current UTC time."""
    event = Event.create(actor="a", organisation="o", action="x.y",
                         object_type="t", object_id="1", digest=DIGEST)
    assert event.time.tzinfo is not None
    assert Event.from_bytes(event.to_bytes()) == event


def test_non_utc_time_is_refused():
    """Only timezone-aware UTC times are accepted."""
    with pytest.raises(EventError, match="UTC"):
        make(time=WHEN.replace(tzinfo=None))
    with pytest.raises(EventError, match="UTC"):
        make(time=WHEN.astimezone(timezone(timedelta(hours=1))))


@pytest.mark.parametrize("changes, message", [
    ({"action": "create"}, "namespaced"),
    ({"action": "Asset.Create"}, "namespaced"),
    ({"digest": "AB" * 32}, "digest"),
    ({"digest": "ab"}, "digest"),
    ({"actor": ""}, "actor"),
    ({"details": {"nested": {"a": 1}}}, "str, int, bool or None"),
    ({"details": {"ratio": 0.5}}, "str, int, bool or None"),
    ({"details": {"Bad Key": 1}}, "lower_snake_case"),
    ({"details": {"n": 2**64}}, "64 bits"),
    ({"details": {f"k{i}": i for i in range(33)}}, "at most 32"),
])
def test_invalid_fields_are_refused(changes, message):
    """Each field is validated, with a message naming it."""
    with pytest.raises(EventError, match=message):
        make(**changes)


def test_size_limit():
    """An event encoding to 64 KiB or more is refused."""
    event = make(details={f"k{i}": "x" * 250 for i in range(32)})
    assert len(event.to_bytes()) < MAX_EVENT_BYTES
    with pytest.raises(EventError, match="64 KiB"):
        Event.from_bytes(b" " * MAX_EVENT_BYTES)


@pytest.mark.parametrize("mangle", [
    lambda d: d.replace(b'"v":1', b'"v":2'),
    lambda d: d.replace(b"Z", b"+00:00"),
    lambda d: d + b" ",
    lambda d: json.dumps(json.loads(d), indent=1).encode(),
    lambda d: d.replace(b'"v":1', b'"v":1,"extra":1'),
    lambda d: d.replace(b"12345678-1234-5678-1234-567812345678",
                        b"{12345678-1234-5678-1234-567812345678}"),
    lambda d: d.replace(b"2026-11-24", b"2026-13-24"),
    lambda d: b"\xff" + d,
])
def test_non_canonical_or_foreign_bytes_are_refused(mangle):
    """Only the one canonical encoding of a valid event parses."""
    data = mangle(make().to_bytes())
    with pytest.raises(EventError):
        Event.from_bytes(data)
