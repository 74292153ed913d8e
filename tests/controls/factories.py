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


PERIOD = "2008-09"


def start_assessment(
    w: World,
    *,
    organisation: Organisation | None = None,
    framework: str = "dhp2008",
    period: str = PERIOD,
    by=None,  # type: ignore[no-untyped-def]
):  # type: ignore[no-untyped-def]
    """Department A's guardian (or ``by``) starts an assessment, loading
    the catalogue first if need be."""
    from steward.controls.models import FrameworkVersion
    from steward.controls.services import assessment_start
    from steward.organisations.access import access_for_user

    if not FrameworkVersion.objects.exists():
        load_catalogue()
    return assessment_start(
        access=access_for_user(by or w.a.people[Role.GUARDIAN]),
        organisation=organisation or w.a.org,
        version=FrameworkVersion.objects.get(
            framework__slug=framework, is_current=True
        ),
        period=period,
    )


def answer_all(w: World, assessment, result: str = "met") -> None:  # type: ignore[no-untyped-def]
    """Answer every manual requirement of the assessment with ``result``."""
    from steward.controls.models import AnswerSource
    from steward.controls.services import answer_record
    from steward.organisations.access import access_for_user

    access = access_for_user(w.a.people[Role.GUARDIAN])
    for answer in assessment.answers.filter(source=AnswerSource.MANUAL):
        answer_record(access=access, answer=answer, result=result, note="Seen")
