"""The ledger's API: the signed checkpoint, entries with inclusion proofs,
consistency proofs and ranges, so an outsider can check the log."""

import base64

from django.http import HttpRequest
from ninja import Field, Router, Schema

from steward.ledger import Event
from steward.trail import selectors

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


@router.get("/ledger/checkpoint", response=CheckpointOut,
            summary="The latest signed checkpoint")
def checkpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    state = selectors.ledger_state(access=request.auth)
    cp = state.checkpoint
    return {"origin": state.origin, "size": cp.size if cp else 0,
            "root": base64.b64encode(cp.root).decode() if cp else None, "note": state.note,
            "vkey": state.vkey}


@router.get("/ledger/entries", response=list[EntryOut],
            summary="A range of entries, at most 1,000")
def entries(request: HttpRequest, start: int = 0, stop: int = 100):  # type: ignore[no-untyped-def]
    return [
        {"index": i, "leaf_hash": h.hex(), "event": _event(e)}
        for i, e, h in selectors.ledger_entries(
            access=request.auth, start=start, stop=stop)
    ]


@router.get("/ledger/entries/{index}", response=ProvenEntryOut,
            summary="One entry with its inclusion proof")
def entry(request: HttpRequest, index: int):  # type: ignore[no-untyped-def]
    event, leaf, size, proof = selectors.ledger_entry(
        access=request.auth, index=index)
    return {"index": index, "leaf_hash": leaf.hex(), "event": _event(event),
            "tree_size": size, "inclusion_proof": [p.hex() for p in proof]}


@router.get("/ledger/consistency", response=ProofOut,
            summary="A consistency proof between two tree sizes")
def consistency(request: HttpRequest, old_size: int, new_size: int):  # type: ignore[no-untyped-def]
    proof = selectors.ledger_consistency(
        access=request.auth, old_size=old_size, new_size=new_size)
    return {"old_size": old_size, "new_size": new_size,
            "proof": [p.hex() for p in proof]}
