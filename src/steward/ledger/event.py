"""The one event schema the ledger records, with canonical bytes.

An event says who did what to which object and when, plus a SHA-256 digest
of the object's state afterwards. Its bytes are JSON with sorted keys, no
whitespace and UTF-8 text, so one event has exactly one encoding; a ``v``
field versions the schema. ``from_bytes`` accepts only that encoding.

``details`` is a small flat dict of str, int, bool or None values. It is
stored for ever in an append-only log, so it must carry no personal data:
callers pass counts, sizes, hashes and identifiers of records, never names,
addresses or free text about people.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from steward.ledger._errors import EventError

__all__ = ["MAX_EVENT_BYTES", "Event", "EventDetail"]

VERSION = 1
MAX_EVENT_BYTES = 64 * 1024
"""Encoded events must be smaller than this (tlog-tiles' entry limit)."""

EventDetail = str | int | bool | None

_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_FIELDS = {"v", "id", "time", "actor", "organisation", "action",
           "object_type", "object_id", "digest", "details"}
_MAX_DETAILS = 32
_MAX_TEXT = 256
_INT_RANGE = range(-(2**63), 2**63)


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > _MAX_TEXT:
        raise EventError(f"{name} must be a string of 1 to {_MAX_TEXT} "
                         "characters")
    return value


def _check_details(details: object) -> dict[str, EventDetail]:
    if not isinstance(details, dict) or len(details) > _MAX_DETAILS:
        raise EventError(f"details must be a dict of at most {_MAX_DETAILS} "
                         "entries")
    for key, value in details.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise EventError(f"detail key {key!r} must be lower_snake_case")
        if isinstance(value, int) and not isinstance(value, bool):
            if value not in _INT_RANGE:
                raise EventError(f"detail {key} does not fit in 64 bits")
        elif isinstance(value, str):
            _text(f"detail {key}", value)
        elif not (value is None or isinstance(value, bool)):
            raise EventError(f"detail {key} must be str, int, bool or None")
    return details


@dataclass(frozen=True)
class Event:
    """One recorded action. Construct with ``Event.create`` for defaults."""

    id: uuid.UUID
    time: datetime
    actor: str
    organisation: str
    action: str
    object_type: str
    object_id: str
    digest: str
    details: dict[str, EventDetail] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, uuid.UUID):
            raise EventError("id must be a UUID")
        if not isinstance(self.time, datetime) or self.time.utcoffset() != (
            timedelta(0)
        ):
            raise EventError("time must be a timezone-aware UTC datetime")
        for name in ("actor", "organisation", "object_type", "object_id"):
            _text(name, getattr(self, name))
        if not isinstance(self.action, str) or not _ACTION.fullmatch(
            self.action
        ):
            raise EventError(
                f"action {self.action!r} must be namespaced, like "
                "'asset.create'"
            )
        if not isinstance(self.digest, str) or not _DIGEST.fullmatch(
            self.digest
        ):
            raise EventError("digest must be 64 lower-case hex characters "
                             "(SHA-256)")
        _check_details(self.details)

    @classmethod
    def create(
        cls,
        *,
        actor: str,
        organisation: str,
        action: str,
        object_type: str,
        object_id: str,
        digest: str,
        details: dict[str, EventDetail] | None = None,
        time: datetime | None = None,
        id: uuid.UUID | None = None,
    ) -> Event:
        """An event with a fresh UUID4 and the current UTC time."""
        return cls(
            id=id or uuid.uuid4(),
            time=time or datetime.now(UTC),
            actor=actor,
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=object_id,
            digest=digest,
            details=dict(details or {}),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "v": VERSION,
            "id": str(self.id),
            "time": self.time.astimezone(UTC).strftime(_TIME_FORMAT),
            "actor": self.actor,
            "organisation": self.organisation,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "digest": self.digest,
            "details": self.details,
        }

    def to_bytes(self) -> bytes:
        """The canonical encoding; raises ``EventError`` at 64 KiB or more."""
        encoded = _encode(self.to_dict())
        if len(encoded) >= MAX_EVENT_BYTES:
            raise EventError(f"an event must encode to under "
                             f"{MAX_EVENT_BYTES} bytes")
        return encoded

    @classmethod
    def from_bytes(cls, data: bytes) -> Event:
        """Parse canonical bytes; anything else raises ``EventError``."""
        if len(data) >= MAX_EVENT_BYTES:
            raise EventError("event is 64 KiB or larger")
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, ValueError) as exc:
            raise EventError("event is not UTF-8 JSON") from exc
        if not isinstance(raw, dict) or set(raw) != _FIELDS:
            raise EventError(f"event must have exactly the fields "
                             f"{sorted(_FIELDS)}")
        if raw["v"] != VERSION or isinstance(raw["v"], bool):
            raise EventError(f"event version {raw['v']!r} is not {VERSION}")
        event = cls(
            id=_parse_uuid(raw["id"]),
            time=_parse_time(raw["time"]),
            actor=raw["actor"],
            organisation=raw["organisation"],
            action=raw["action"],
            object_type=raw["object_type"],
            object_id=raw["object_id"],
            digest=raw["digest"],
            details=_check_details(raw["details"]),
        )
        if event.to_bytes() != data:
            raise EventError("event bytes are not in canonical form")
        return event


def _encode(value: dict[str, object]) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")


def _parse_uuid(value: object) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise EventError("id must be a UUID string")


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise EventError("time must be RFC 3339 UTC with microseconds and Z")
    try:
        return datetime.strptime(value, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as exc:
        raise EventError(f"time {value!r} is not a real instant") from exc

