"""The ledger's API: the signed checkpoint, entries with inclusion proofs,
consistency proofs and ranges, so an outsider can check the log."""

import base64
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.throttling import AuthRateThrottle
from pydantic import (
    AwareDatetime,
    ConfigDict,
    StringConstraints,
    ValidationError,
)
from pydantic import Field as PydField

from steward.common.errors import NotFound
from steward.ledger import Event
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access
from steward.organisations.models import Organisation
from steward.trail import selectors, services
from steward.trail.models import Destination

router = Router(tags=["ledger"])


class CheckpointOut(Schema):
    origin: str
    size: int
    root: str | None = Field(None, description="base64 root hash")
    note: str | None = Field(None, description="the signed note")
    vkey: str = Field(..., description="the log's verifier key")


class EntryOut(Schema):
    index: int
    leaf_hash: str
    event: dict


class ProvenEntryOut(EntryOut):
    tree_size: int
    inclusion_proof: list[str]


class ProofOut(Schema):
    old_size: int
    new_size: int
    proof: list[str]


def _event(event: Event) -> dict:
    return event.to_dict()


@router.get(
    "/ledger/checkpoint",
    response=CheckpointOut,
    summary="The latest signed checkpoint",
)
def checkpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    state = selectors.ledger_state(access=request.auth)
    cp = state.checkpoint
    return {
        "origin": state.origin,
        "size": cp.size if cp else 0,
        "root": base64.b64encode(cp.root).decode() if cp else None,
        "note": state.note,
        "vkey": state.vkey,
    }


@router.get(
    "/ledger/entries",
    response=list[EntryOut],
    summary="A range of entries, at most 1,000",
)
def entries(request: HttpRequest, start: int = 0, stop: int = 100):  # type: ignore[no-untyped-def]
    return [
        {"index": i, "leaf_hash": h.hex(), "event": _event(e)}
        for i, e, h in selectors.ledger_entries(
            access=request.auth, start=start, stop=stop
        )
    ]


@router.get(
    "/ledger/entries/{index}",
    response=ProvenEntryOut,
    summary="One entry with its inclusion proof",
)
def entry(request: HttpRequest, index: int):  # type: ignore[no-untyped-def]
    event, leaf, size, proof = selectors.ledger_entry(
        access=request.auth, index=index
    )
    return {
        "index": index,
        "leaf_hash": leaf.hex(),
        "event": _event(event),
        "tree_size": size,
        "inclusion_proof": [p.hex() for p in proof],
    }


@router.get(
    "/ledger/consistency",
    response=ProofOut,
    summary="A consistency proof between two tree sizes",
)
def consistency(request: HttpRequest, old_size: int, new_size: int):  # type: ignore[no-untyped-def]
    proof = selectors.ledger_consistency(
        access=request.auth, old_size=old_size, new_size=new_size
    )
    return {
        "old_size": old_size,
        "new_size": new_size,
        "proof": [p.hex() for p in proof],
    }


class CopyEventIn(Schema):
    """One data copy seen by an agent: digests and counts, no names."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(..., min_length=1, max_length=100)
    organisation: str | None = Field(
        None,
        description="Code of the organisation; the key's own if not given",
    )
    copied_at: AwareDatetime
    device: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="The device's asset tag, not a person's name",
    )
    destination: Destination
    file_digests: list[
        Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    ] = Field(..., min_length=1, max_length=1000)
    byte_count: int = Field(..., ge=0, le=2**62)
    personal_data: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z_]{1,39}$")],
        Annotated[int, PydField(ge=0, le=2**62)],
    ] = Field(default_factory=dict, max_length=30)
    encrypted: bool


class CopyBatchIn(Schema):
    events: list[dict[str, Any]] = Field(..., min_length=1, max_length=500)


class CopyResultOut(Schema):
    index: int
    status: str
    id: int | None = None
    errors: dict[str, str] = {}


class CopyBatchOut(Schema):
    created: int
    duplicates: int
    rejected: int
    results: list[CopyResultOut]


def _errors(exc: ValidationError) -> dict[str, str]:
    return {
        ".".join(str(p) for p in e["loc"]) or "event": e["msg"]
        for e in exc.errors()
    }


def _record_one(
    request: HttpRequest, index: int, raw: dict[str, Any]
) -> dict[str, Any]:
    access = request.auth
    try:
        event = CopyEventIn.model_validate(raw)
    except ValidationError as exc:
        return {"index": index, "status": "rejected", "errors": _errors(exc)}
    try:
        org = (
            org_selectors.organisation_get(
                access=access, code=event.organisation
            )
            if event.organisation
            else _own_organisation(access)
        )
    except NotFound:
        return {
            "index": index,
            "status": "rejected",
            "errors": {
                "organisation": "No organisation this key reaches has that "
                "code"
            },
        }
    report, created = services.copy_report_record(
        access=access,
        organisation=org,
        idempotency_key=event.idempotency_key,
        copied_at=event.copied_at,
        device=event.device,
        destination=event.destination,
        file_digests=event.file_digests,
        byte_count=event.byte_count,
        personal_data=event.personal_data,
        encrypted=event.encrypted,
        api_key_id=_api_key_id(access),
    )
    return {
        "index": index,
        "status": "created" if created else "duplicate",
        "id": report.pk,
    }


def _own_organisation(access: Access) -> Organisation:
    grant = access.grants[0]
    return Organisation.objects.get(pk=grant.organisation_id)


def _api_key_id(access: Access) -> int | None:
    kind, _, ident = access.actor_id.partition(":")
    return int(ident) if kind == "apikey" else None


@router.post(
    "/ledger/copy-events",
    response=CopyBatchOut,
    summary="Report data copies seen by an endpoint agent (batch)",
    throttle=[AuthRateThrottle(settings.STEWARD_INGEST_RATE)],
)
def copy_events(request: HttpRequest, payload: CopyBatchIn):  # type: ignore[no-untyped-def]
    """Each event is checked on its own: good ones are recorded (and reach
    the ledger), bad ones come back with what is wrong, and an event whose
    idempotency key was seen before is reported as a duplicate."""
    results = [
        _record_one(request, i, raw) for i, raw in enumerate(payload.events)
    ]
    counts = {
        s: sum(r["status"] == s for r in results)
        for s in ("created", "duplicate", "rejected")
    }
    return {
        "created": counts["created"],
        "duplicates": counts["duplicate"],
        "rejected": counts["rejected"],
        "results": results,
    }
