"""Every write about scans: locations, jobs, results, agents' uploads."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from steward.assets.derivations import PPD_BULK_THRESHOLD
from steward.assets.models import Asset
from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.discovery import DiscoveryError, Report, scan_paths
from steward.organisations.access import Access, system_access
from steward.organisations.models import Organisation, Role
from steward.scans.models import ScanLocation, ScanRun, Source, Status

SCANNERS = (Role.GUARDIAN, Role.SIRO, Role.CENTRAL)
UPLOADERS = (Role.STAFF, Role.GUARDIAN, Role.SIRO, Role.CENTRAL)


def _user_id(access: Access) -> int | None:
    return access.user_id


def _check_asset(asset: Asset | None, organisation: Organisation) -> None:
    if (
        asset is not None
        and not organisation.path.startswith(asset.organisation.path)
        and not asset.organisation.path.startswith(organisation.path)
    ):
        raise Invalid(
            {"asset": "The asset belongs to another part of government"}
        )


@transaction.atomic
def location_create(
    *,
    access: Access,
    organisation: Organisation,
    name: str,
    target: str,
    asset: Asset | None = None,
) -> ScanLocation:
    if not access.has_role(SCANNERS, organisation):
        raise Forbidden(
            "Only a Data Guardian or the SIRO can add scan locations"
        )
    errors = {}
    if not name.strip():
        errors["name"] = "Enter a name for the location"
    if not target.strip():
        errors["target"] = "Enter a path or a database URL"
    elif "@" in target and ":" in target.split("@")[0].split("//")[-1]:
        errors["target"] = (
            "Remove the password from the URL; give it to "
            "the worker in its environment"
        )
    if errors:
        raise Invalid(errors)
    _check_asset(asset, organisation)
    location = ScanLocation.objects.create(
        organisation=organisation,
        name=name.strip(),
        target=target.strip(),
        asset=asset,
        created_by_id=_user_id(access),
    )
    audit_record(
        actor_id=access.actor_id,
        action="scan.location",
        obj=location,
        organisation_id=organisation.pk,
    )
    return location


@transaction.atomic
def scan_start(*, access: Access, location: ScanLocation) -> ScanRun:
    """Queue a scan of the location; the background worker runs it."""
    if not access.has_role(SCANNERS, location.organisation):
        raise Forbidden("Only a Data Guardian or the SIRO can run scans")
    run = ScanRun.objects.create(
        organisation=location.organisation,
        location=location,
        asset=location.asset,
        source=Source.JOB,
    )
    audit_record(
        actor_id=access.actor_id,
        action="scan.start",
        obj=run,
        organisation_id=run.organisation_id,
    )
    transaction.on_commit(lambda: run_scan.enqueue(run.pk))
    return run


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    totals = report.get("totals", [])
    bulk = any(int(t.get("count", 0)) >= PPD_BULK_THRESHOLD for t in totals)
    return {
        "totals": totals,
        "findings": report.get("findings", []),
        "problems": report.get("problems", []),
        "sources": int(report.get("sources", 0)),
        "bytes_read": int(report.get("bytes_read", 0)),
        "bulk": bulk,
    }


def _finish(run: ScanRun, report: dict[str, Any]) -> None:
    summary = _summary(report)
    for field, value in summary.items():
        setattr(run, field, value)
    run.unregistered = run.bulk and run.asset_id is None
    run.status = Status.DONE
    run.finished_at = timezone.now()
    run.save()


@transaction.atomic
def scan_complete(*, access: Access, run: ScanRun, report: Report) -> ScanRun:
    """Store a finished job's report (called by the worker)."""
    _finish(run, report.to_dict())
    audit_record(
        actor_id=access.actor_id,
        action="scan.complete",
        obj=run,
        organisation_id=run.organisation_id,
        details={
            "found": run.found,
            "bulk": run.bulk,
            "unregistered": run.unregistered,
        },
    )
    return run


@transaction.atomic
def scan_fail(*, access: Access, run: ScanRun, reason: str) -> ScanRun:
    run.status = Status.FAILED
    run.failure = reason[:200]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "failure", "finished_at"])
    audit_record(
        actor_id=access.actor_id,
        action="scan.complete",
        obj=run,
        organisation_id=run.organisation_id,
        details={"failed": True},
    )
    return run


@transaction.atomic
def scan_upload(
    *,
    access: Access,
    organisation: Organisation,
    report: dict[str, Any],
    asset: Asset | None = None,
) -> ScanRun:
    """Store a report a department's scanning agent made itself."""
    if not access.has_role(UPLOADERS, organisation):
        raise Forbidden("This key may not upload scans for that organisation")
    _check_asset(asset, organisation)
    run = ScanRun(organisation=organisation, asset=asset, source=Source.AGENT)
    _finish(run, report)
    audit_record(
        actor_id=access.actor_id,
        action="scan.upload",
        obj=run,
        organisation_id=organisation.pk,
        details={
            "found": run.found,
            "bulk": run.bulk,
            "unregistered": run.unregistered,
        },
    )
    return run


@task()
def run_scan(run_id: int) -> str:
    """The background scan job: scan the location, store the report."""
    run = ScanRun.objects.select_related("location").get(pk=run_id)
    access = system_access("scanner")
    ScanRun.objects.filter(pk=run_id).update(status=Status.RUNNING)
    try:
        report = scan_paths([run.location.target])
    except DiscoveryError as exc:
        # The error's type only: messages can quote file contents.
        scan_fail(access=access, run=run, reason=type(exc).__name__)
        return Status.FAILED
    scan_complete(access=access, run=run, report=report)
    return Status.DONE
