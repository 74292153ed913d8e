"""Where actions come from: each app that raises actions registers the
kind of record it raises them on, with a label and a link to it.

    sources.register("incident", "Incident", lambda pk: reverse(...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    url: Callable[[int], str]


SOURCES: dict[str, Source] = {}


def register(kind: str, label: str, url: Callable[[int], str]) -> None:
    if kind in SOURCES and SOURCES[kind].label != label:
        raise ValueError(f"action source {kind!r} is registered twice")
    SOURCES[kind] = Source(kind=kind, label=label, url=url)


def describe(kind: str, source_id: int | None) -> tuple[str, str] | None:
    """(label, url) of an action's source, or None when it has none."""
    source = SOURCES.get(kind)
    if source is None or source_id is None:
        return None
    return f"{source.label} {source_id}", source.url(source_id)
