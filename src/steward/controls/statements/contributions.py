"""Paragraphs that later capabilities add to a Statement of Internal
Control's draft (``controls`` cannot import the apps above it).

An app registers a function from its AppConfig.ready::

    contributions.register(incident_paragraphs)

Each takes the organisation and the financial year and returns a
``Contribution`` (a heading, paragraphs, and the ids of the records they
were drawn from, so that every sentence traces to a record) or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from steward.controls.periods import Period
from steward.organisations.models import Organisation


@dataclass(frozen=True)
class Contribution:
    key: str  # where its record ids go in the draft's sources
    heading: str
    paragraphs: list[str]
    record_ids: list[int] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)


Contributor = Callable[[Organisation, Period], Contribution | None]
CONTRIBUTORS: list[Contributor] = []


def register(contributor: Contributor) -> Contributor:
    if contributor not in CONTRIBUTORS:
        CONTRIBUTORS.append(contributor)
    return contributor
