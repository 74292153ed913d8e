"""The automated check that scans feed (``steward.controls.checks``)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from steward.controls.checks import Result, check, outcome
from steward.organisations.access import Access
from steward.organisations.models import Organisation
from steward.scans.models import ScanRun, Status

# Scans older than this no longer speak for the department's shares.
WINDOW = timedelta(days=365)


@check(
    "no-unregistered-bulk-ppd",
    title="No unregistered bulk personal data found by scans",
    requirements=("urn:steward:dhp2008:ppd-inventory",),
)
def no_unregistered_bulk_ppd(
    access: Access, organisation: Organisation
) -> Result:
    visible = Organisation.objects.filter(
        access.visible_q(), path__startswith=organisation.path
    ).values("pk")
    counts = ScanRun.objects.filter(
        organisation_id__in=visible,
        status=Status.DONE,
        finished_at__gte=timezone.now() - WINDOW,
    ).aggregate(
        applicable=Count("pk"),
        failing=Count("pk", filter=Q(unregistered=True)),
    )
    a, f = counts["applicable"], counts["failing"]
    return Result(
        outcome=outcome(a, f),
        applicable=a,
        failing=f,
        summary=f"{f} of {a} scans in the last year found bulk personal "
        "data that no registered asset accounts for",
        links={"failing": reverse("scans:list") + "?unregistered=1"},
    )
