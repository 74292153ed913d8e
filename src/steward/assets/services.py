"""Every write to the information asset register.

Each function runs in one transaction, takes the acting principal as
``access`` (keyword-only, required), recomputes the derived columns,
keeps the change (who, when, each field before → after) and records one
audit event. Nothing is deleted: an asset is closed or disposed of, with
who and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from steward.accounts.models import User
from steward.assets import derivations
from steward.assets.models import (
    Asset,
    Change,
    Import,
    ImportJob,
    JobPhase,
    JobState,
    Location,
    Status,
)
from steward.assets.permissions import can_change, can_register
from steward.assets.validation import (
    FIELDS,
    apply_derived,
    clean_facts,
    clean_locations,
)
from steward.audit.services import audit_record
from steward.common.errors import Forbidden, Invalid
from steward.organisations.access import Access, access_for_user
from steward.organisations.models import Organisation


def _shown(value: Any) -> Any:
    """A value as the history keeps it (JSON; people by id)."""
    if isinstance(value, User):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _location_text(loc: dict[str, str]) -> str:
    parts = [
        loc["system"],
        loc["site"],
        loc["hosting_provider"],
        loc["country"],
    ]
    return " / ".join(p for p in parts if p)


def _snapshot(asset: Asset) -> dict[str, Any]:
    snap = {
        name: _shown(getattr(asset, name + ("_id" if name == "owner" else "")))
        for name in FIELDS
    }
    return snap


def _record(
    *,
    access: Access,
    asset: Asset,
    action: str,
    fields: dict[str, list[Any]],
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    Change.objects.create(
        asset=asset,
        occurred_at=timezone.now(),
        actor_id=access.actor_id,
        action=action,
        fields=fields,
        reason=reason,
    )
    audit_record(
        actor_id=access.actor_id,
        action=action,
        obj=asset,
        organisation_id=asset.organisation_id,
        details={
            "fields": len(fields),
            "ppd": asset.is_ppd,
            "risk": asset.risk,
            **(details or {}),
        },
    )


def _require_register(access: Access, organisation: Organisation) -> None:
    if not can_register(access=access, organisation=organisation):
        raise Forbidden(
            "Only an Information Asset Owner, the SIRO or the central team "
            "can register assets"
        )


def _reference_taken(organisation: Organisation, reference: str,
                     exclude: int | None = None) -> bool:  # fmt: skip
    qs = Asset.objects.filter(organisation=organisation, reference=reference)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


@transaction.atomic
def asset_create(
    *,
    access: Access,
    organisation: Organisation,
    data: dict[str, Any],
    locations: list[dict[str, str]],
) -> Asset:
    _require_register(access, organisation)
    facts = clean_facts(data, organisation=organisation)
    locs = clean_locations(locations)
    if _reference_taken(organisation, facts["reference"]):
        raise Invalid(
            {
                "reference": "An asset with this reference is already "
                f"registered in {organisation.name}"
            }
        )
    asset = Asset(organisation=organisation, **facts)
    apply_derived(asset, [loc["country"] for loc in locs])
    asset.save()
    Location.objects.bulk_create(Location(asset=asset, **loc) for loc in locs)
    history = {name: [None, value] for name, value in _snapshot(asset).items()}
    history["locations"] = [None, [_location_text(x) for x in locs]]
    _record(access=access, asset=asset, action="asset.create", fields=history)
    return asset


def _current_locations(asset: Asset) -> list[dict[str, str]]:
    return list(
        asset.locations.values("system", "site", "hosting_provider", "country")
    )


def _lock(access: Access, asset: Asset, verb: str) -> Asset:
    """The asset, locked for this write, once the principal may ``verb``
    it."""
    asset = (
        Asset.objects.select_for_update()
        .select_related("organisation", "owner")
        .get(pk=asset.pk)
    )
    if not can_change(access=access, asset=asset):
        raise Forbidden(
            f"Only the asset's owner, the SIRO or the central team can "
            f"{verb} it"
        )
    return asset


@transaction.atomic
def asset_update(
    *,
    access: Access,
    asset: Asset,
    data: dict[str, Any],
    locations: list[dict[str, str]] | None = None,
    reason: str = "",
) -> Asset:
    """Change the facts given in ``data`` (others stay as they are)."""
    asset = _lock(access, asset, "change")
    if not asset.is_active:
        raise Invalid({"status": "A closed asset cannot be changed"})
    before = _snapshot(asset)
    merged = {name: getattr(asset, name) for name in FIELDS} | data
    facts = clean_facts(merged, organisation=asset.organisation)
    if facts["reference"] != asset.reference and _reference_taken(
        asset.organisation, facts["reference"], exclude=asset.pk
    ):
        raise Invalid(
            {"reference": "Another asset already has this reference"}
        )
    old_locs = _current_locations(asset)
    locs = clean_locations(locations) if locations is not None else old_locs
    for name, value in facts.items():
        setattr(asset, name, value)
    apply_derived(asset, [loc["country"] for loc in locs])
    after = _snapshot(asset)
    changed = {
        name: [before[name], after[name]]
        for name in FIELDS
        if before[name] != after[name]
    }
    old_text = [_location_text(x) for x in old_locs]
    new_text = [_location_text(x) for x in locs]
    if old_text != new_text:
        changed["locations"] = [old_text, new_text]
        asset.locations.all().delete()
        Location.objects.bulk_create(
            Location(asset=asset, **loc) for loc in locs
        )
    if not changed:
        return asset
    asset.save()
    _record(
        access=access,
        asset=asset,
        action="asset.update",
        fields=changed,
        reason=reason.strip()[:500],
    )
    return asset


@transaction.atomic
def asset_review(*, access: Access, asset: Asset, note: str = "") -> Asset:
    """Record the owner's quarterly review and set the next one."""
    asset = _lock(access, asset, "review")
    if not asset.is_active:
        raise Invalid({"status": "A closed asset is not reviewed"})
    today = timezone.localdate()
    changed = {
        "last_reviewed": [_shown(asset.last_reviewed), today.isoformat()],
        "review_due": [
            _shown(asset.review_due),
            derivations.next_review(today).isoformat(),
        ],
    }
    asset.last_reviewed = today
    asset.review_due = derivations.next_review(today)
    asset.save(update_fields=["last_reviewed", "review_due", "updated_at"])
    _record(
        access=access,
        asset=asset,
        action="asset.review",
        fields=changed,
        reason=note.strip()[:500],
    )
    return asset


@transaction.atomic
def asset_close(
    *, access: Access, asset: Asset, reason: str, disposed: bool = False
) -> Asset:
    """Close an asset (or record its disposal); it stays in the register
    with who and why."""
    asset = _lock(access, asset, "close")
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter why the asset is being closed"
    elif len(reason.strip()) > 500:
        errors["reason"] = "Reason must be 500 characters or fewer"
    if not asset.is_active:
        errors["status"] = "This asset is already closed"
    if errors:
        raise Invalid(errors)
    status = Status.DISPOSED if disposed else Status.CLOSED
    changed = {"status": [asset.status, status]}
    asset.status = status
    asset.closed_at = timezone.now()
    asset.closed_by_id = access.user_id
    asset.closed_reason = reason.strip()
    asset.save()
    _record(
        access=access,
        asset=asset,
        action="asset.close",
        fields=changed,
        reason=asset.closed_reason,
        details={"status": status},
    )
    return asset


def asset_import(
    *,
    access: Access,
    organisation: Organisation,
    rows: list[tuple[Organisation, dict[str, Any], list[dict[str, str]], str]],
    file_digest: str,
    filename: str,
    progress: Callable[[str, int, int], None] | None = None,
) -> Import:
    """Register every row of a checked import file, all or nothing.

    ``rows`` are (organisation, facts, locations, row digest) from
    ``importing.check``, run again just before this so that a row that
    became wrong since the dry run stops the import.

    The assets, their derived columns and their history are built first,
    outside the transaction (50,000 rows take seconds; on SQLite an open
    write transaction holds every other writer back); one transaction then
    checks again that the file is new and writes everything. ``progress``
    is told (phase, rows done, rows) as it goes.
    """
    _require_register(access, organisation)
    for org in {org.pk: org for org, _, _, _ in rows}.values():
        _require_register(access, org)
    now = timezone.now()
    reason = f"Imported from {filename}"[:500]
    assets, all_locs, changes = [], [], []
    for n, (org, data, locations, digest) in enumerate(rows):
        if progress is not None and n % 1000 == 0:
            progress(JobPhase.PREPARING, n, len(rows))
        asset = Asset(organisation=org, import_digest=digest, **data)
        apply_derived(asset, [loc["country"] for loc in locations])
        assets.append(asset)
        all_locs.append(locations)
        changes.append(
            Change(
                asset=asset,
                occurred_at=now,
                actor_id=access.actor_id,
                action="asset.import",
                fields={
                    name: [None, value]
                    for name, value in _snapshot(asset).items()
                },
                reason=reason,
            )
        )
    if progress is not None:
        progress(JobPhase.SAVING, 0, len(rows))
    with transaction.atomic():
        if Import.objects.filter(
            organisation=organisation, file_digest=file_digest
        ).exists():
            raise Invalid({"file": "This file has already been imported"})
        Asset.objects.bulk_create(assets, batch_size=2000)
        for change in changes:
            change.asset_id = change.asset.pk
        Location.objects.bulk_create(
            (
                Location(asset=asset, **loc)
                for asset, locs in zip(assets, all_locs, strict=True)
                for loc in locs
            ),
            batch_size=2000,
        )
        Change.objects.bulk_create(changes, batch_size=2000)
        record = Import.objects.create(
            organisation=organisation,
            file_digest=file_digest,
            filename=filename[:200],
            rows=len(assets),
            imported_at=now,
            actor_id=access.actor_id,
        )
        audit_record(
            actor_id=access.actor_id,
            action="asset.import",
            obj=record,
            organisation_id=organisation.pk,
            details={"rows": len(assets)},
        )
    return record


# --- Imports in the background, with progress -----------------------------

# Dry runs of files up to this many rows run while the page waits; larger
# ones, and every commit, run as a background task the page polls.
INLINE_ROWS = 5000
# The first problems kept on a job for its page (each is a row, a column
# and a reason; never a cell's value).
KEPT_PROBLEMS = 2000


@transaction.atomic
def import_start(
    *,
    access: Access,
    organisation: Organisation,
    filename: str,
    token: str,
    suffix: str,
    mapping: dict[str, int | None],
    file_digest: str,
    dry_run: bool,
) -> ImportJob:
    """Queue the check (``dry_run``) or the import of an uploaded register
    file (kept in var/imports under ``token``) as a background job."""
    _require_register(access, organisation)
    if access.user_id is None:
        raise Forbidden("Only a signed-in person can import from a page")
    if Import.objects.filter(
        organisation=organisation, file_digest=file_digest
    ).exists():
        raise Invalid({"file": "This file has already been imported"})
    job = ImportJob.objects.create(
        organisation=organisation,
        user_id=access.user_id,
        actor_id=access.actor_id,
        filename=filename[:200],
        token=token,
        suffix=suffix,
        mapping={k: v for k, v in mapping.items()},
        file_digest=file_digest,
        dry_run=dry_run,
    )
    audit_record(
        actor_id=access.actor_id,
        action="asset.import_job",
        obj=job,
        organisation_id=organisation.pk,
        details={"dry_run": dry_run},
    )
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def _mark(job_id: int, **fields: Any) -> None:
    # The job's own progress record: bookkeeping of a job already
    # recorded by ``import_start``, as a scan run's status is.
    ImportJob.objects.filter(pk=job_id).update(**fields)


@task()
def run_import(job_id: int) -> str:
    """The background import: read the file, check every row (the dry
    run stops here), then import it all or nothing, as the person who
    asked, keeping the job's progress current for its page."""
    from steward.assets import importing

    job = ImportJob.objects.select_related("organisation", "user").get(
        pk=job_id
    )
    if job.state != JobState.QUEUED:
        return str(job.state)
    _mark(job_id, state=JobState.RUNNING, phase=JobPhase.READING)
    access = access_for_user(job.user)
    path = importing.upload_path(job.token, job.suffix)
    try:
        if not path.exists():
            raise importing.FileError(
                "The uploaded file is no longer here: upload it again"
            )
        data = path.read_bytes()
        headers, table = importing.read_table(data, job.filename)
        _mark(job_id, phase=JobPhase.CHECKING, done=0, total=len(table))
        checked = importing.check(
            access=access,
            organisation=job.organisation,
            headers=headers,
            rows=table,
            mapping={k: v for k, v in job.mapping.items()},
            digest=job.file_digest,
            progress=lambda done, total: _mark(job_id, done=done),
        )
        counts = {
            "total": checked.rows,
            "done": checked.rows,
            "unchanged": checked.unchanged,
            "ready": len(checked.ready),
            "problem_count": len(checked.problems),
            "problems": [
                [p.row, p.column, p.reason]
                for p in checked.problems[:KEPT_PROBLEMS]
            ],
        }
        if checked.problems:
            _finish(job_id, JobState.FAILED, **counts)
            return JobState.FAILED
        if job.dry_run or not checked.ready:
            _finish(job_id, JobState.DONE, imported=0, **counts)
            return JobState.DONE
        record = asset_import(
            access=access,
            organisation=job.organisation,
            rows=checked.ready,
            file_digest=job.file_digest,
            filename=job.filename,
            progress=lambda phase, done, total: _mark(
                job_id, phase=phase, done=done, total=total
            ),
        )
    except (importing.FileError, Invalid, Forbidden) as exc:
        text = (
            " ".join(exc.errors.values())
            if isinstance(exc, Invalid)
            else str(exc)
        )
        _finish(job_id, JobState.FAILED, message=text[:500])
        return JobState.FAILED
    except Exception:
        _finish(
            job_id,
            JobState.FAILED,
            message="The import stopped on an error in Steward; nothing "
            "was imported. Try again, or tell the service desk.",
        )
        raise
    _finish(
        job_id, JobState.DONE, imported=record.rows, result=record, **counts
    )
    path.unlink(missing_ok=True)
    return JobState.DONE


def _finish(job_id: int, state: str, **fields: Any) -> None:
    _mark(
        job_id,
        state=state,
        phase=JobPhase.FINISHED,
        finished_at=timezone.now(),
        **fields,
    )
