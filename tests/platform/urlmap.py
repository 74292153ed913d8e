"""Every URL Steward serves, discovered from the URL conf."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]


def routes() -> Iterator[Route]:
    def walk(patterns: list, namespace: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace + (f"{p.namespace}:" if p.namespace else "")
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                yield Route(
                    name=namespace + (p.name or ""),
                    pattern=str(p.pattern),
                    kwargs=tuple(p.pattern.regex.groupindex),
                )

    seen = set()
    for route in walk(get_resolver().url_patterns, ""):
        if route.name not in seen:
            seen.add(route.name)
            yield route
