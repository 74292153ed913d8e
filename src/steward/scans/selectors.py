"""Reads of scan locations and results, scoped to the viewer."""

from __future__ import annotations

from django.db.models import QuerySet

from steward.common.errors import NotFound
from steward.organisations.access import Access
from steward.organisations.models import Role
from steward.scans.models import ScanLocation, ScanRun

# The regulator sees scans only through spot checks (a later capability).
READERS = (Role.SIRO, Role.IAO, Role.GUARDIAN, Role.STAFF, Role.CENTRAL)


def run_list(
    *, access: Access, unregistered: bool = False
) -> QuerySet[ScanRun]:
    qs = ScanRun.objects.filter(
        access.visible_q("organisation__", roles=READERS)
    ).select_related("organisation", "location", "asset")
    if unregistered:
        qs = qs.filter(unregistered=True)
    return qs


def run_get(*, access: Access, pk: int) -> ScanRun:
    try:
        return run_list(access=access).get(pk=pk)
    except ScanRun.DoesNotExist:
        raise NotFound("scan") from None


def location_list(*, access: Access) -> QuerySet[ScanLocation]:
    return ScanLocation.objects.filter(
        access.visible_q("organisation__", roles=READERS)
    ).select_related("organisation", "asset")


def location_get(*, access: Access, pk: int) -> ScanLocation:
    try:
        return location_list(access=access).get(pk=pk)
    except ScanLocation.DoesNotExist:
        raise NotFound("scan location") from None
