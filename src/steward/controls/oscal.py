"""OSCAL catalogs from the catalogue's framework files, and back.

A requirement becomes a control (nested under its parent) whose ``id`` is
the local part of its URN; its reference, kind, source and mandatory flag
are props in Steward's namespace, its text the statement part, and its
mappings links whose ``href`` is the target URN. Importing an exported
catalog gives the same framework file (the same digest). No Django here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from steward.controls.schema import FrameworkFile

NS = "https://steward.example/ns/oscal"
OSCAL_VERSION = "1.1.2"
_UUID_NS = uuid.UUID("6f1c1c1e-7a0e-4c1e-9a57-5e0d3b2f0c01")


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value, "ns": NS}


def _local(urn: str) -> str:
    return urn.rsplit(":", 1)[1]


def catalog_from_framework(spec: FrameworkFile) -> dict[str, Any]:
    """The framework as an OSCAL catalog (a JSON-ready dict)."""
    info = spec.framework
    links: dict[str, list[dict[str, str]]] = {}
    for m in spec.mappings:
        links.setdefault(m.source, []).append(
            {"href": m.target, "rel": m.relation}
        )
    controls: dict[str, dict[str, Any]] = {}
    top: list[dict[str, Any]] = []
    for r in spec.requirements:
        props = [
            _prop("label", r.ref),
            _prop("urn", r.urn),
            _prop("source", r.source),
        ]
        if r.mandatory:
            props.append(_prop("mandatory", "true"))
        control: dict[str, Any] = {
            "id": _local(r.urn),
            "class": r.kind,
            "title": r.title,
            "props": props,
        }
        if r.text:
            control["parts"] = [
                {
                    "id": f"{_local(r.urn)}_smt",
                    "name": "statement",
                    "prose": r.text,
                }
            ]
        if r.urn in links:
            control["links"] = links[r.urn]
        controls[r.urn] = control
        if r.parent:
            controls[r.parent].setdefault("controls", []).append(control)
        else:
            top.append(control)
    meta_props = [
        _prop("framework", info.slug),
        _prop("publisher", info.publisher),
        _prop("source", info.source),
        _prop("licence", info.licence),
    ]
    if info.published:
        meta_props.append(_prop("published", info.published.isoformat()))
    return {
        "catalog": {
            "uuid": str(uuid.uuid5(_UUID_NS, f"{info.slug}:{info.version}")),
            "metadata": {
                "title": info.title,
                "last-modified": dt.datetime(
                    2008, 6, 25, tzinfo=dt.UTC
                ).isoformat(),
                "version": info.version,
                "oscal-version": OSCAL_VERSION,
                "props": meta_props,
            },
            "controls": top,
        }
    }


def _props(obj: dict[str, Any]) -> dict[str, str]:
    return {
        p["name"]: p["value"]
        for p in obj.get("props", [])
        if p.get("ns") == NS
    }


def framework_from_catalog(data: dict[str, Any]) -> FrameworkFile:
    """An OSCAL catalog exported by ``catalog_from_framework`` as a framework
    file (validated like one read from YAML)."""
    catalog = data["catalog"]
    meta = catalog["metadata"]
    mp = _props(meta)
    requirements: list[dict[str, Any]] = []
    mappings: list[dict[str, str]] = []

    def walk(controls: list[dict[str, Any]], parent: str | None) -> None:
        for c in controls:
            p = _props(c)
            text = next(
                (
                    part.get("prose", "")
                    for part in c.get("parts", [])
                    if part["name"] == "statement"
                ),
                "",
            )
            requirements.append(
                {
                    "urn": p["urn"],
                    "ref": p["label"],
                    "kind": c["class"],
                    "title": c["title"],
                    "text": text,
                    "source": p["source"],
                    "parent": parent,
                    "mandatory": p.get("mandatory") == "true",
                }
            )
            mappings.extend(
                {
                    "source": p["urn"],
                    "target": link["href"],
                    "relation": link["rel"],
                }
                for link in c.get("links", [])
            )
            walk(c.get("controls", []), p["urn"])

    walk(catalog.get("controls", []), None)
    return FrameworkFile.model_validate(
        {
            "framework": {
                "slug": mp["framework"],
                "title": meta["title"],
                "publisher": mp["publisher"],
                "version": meta["version"],
                "published": mp.get("published"),
                "source": mp["source"],
                "licence": mp["licence"],
            },
            "requirements": requirements,
            "mappings": mappings,
        }
    )
