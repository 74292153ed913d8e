"""Building catalogue and procedure records for tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from steward.controls.loading import catalogue_install
from steward.controls.models import Procedure
from steward.controls.services import procedure_create
from steward.organisations.access import system_access
from steward.organisations.models import Organisation, Role
from tests.world import World


def load_catalogue() -> None:
    catalogue_install()


def make_procedure(
    w: World,
    *,
    organisation: Organisation | None = None,
    urns: tuple[str, ...] = ("urn:steward:dhp2008:removable-media",),
    next_review: dt.date | None = None,
    title: str = "Zanzibarian removable media procedure",
) -> Procedure:
    return procedure_create(
        access=system_access("t"),
        organisation=organisation or w.a.org,
        title=title,
        version="1.0",
        owner=w.a.people[Role.GUARDIAN],
        next_review=next_review
        or timezone.localdate() + dt.timedelta(days=90),
        requirement_urns=list(urns),
    )
