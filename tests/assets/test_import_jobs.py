"""Imports in the background: the job, its progress, its page."""

from __future__ import annotations

import io
import secrets
from typing import Any

import pytest

from steward.assets import importing, services
from steward.assets.models import Asset, ImportJob, JobPhase, JobState
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.assets.test_import import _csv, _row
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db


def _start(world: World, data: bytes, *, dry_run: bool) -> ImportJob:
    token = secrets.token_hex(16)
    importing.upload_path(token, ".csv").write_bytes(data)
    headers, _ = importing.read_table(data, "r.csv")
    return services.import_start(
        access=access_for_user(world.a.people[Role.IAO]),
        organisation=world.a.org,
        filename="register.csv",
        token=token,
        suffix=".csv",
        mapping=importing.guess_mapping(headers),
        file_digest=importing.file_digest(data),
        dry_run=dry_run,
    )


def test_import_job_records_its_progress(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    seen: list[dict[str, Any]] = []
    mark = services._mark
    monkeypatch.setattr(
        services, "_mark", lambda pk, **f: (seen.append(f), mark(pk, **f))
    )
    monkeypatch.setattr(importing, "upload_path", _tmp_upload_path)
    rows = [_row(f"A-{i}") for i in range(1, 1201)]
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(world, _csv(rows), dry_run=False)
    job.refresh_from_db()
    assert (job.state, job.phase, job.percent) == ("done", "finished", 100)
    assert (job.total, job.done, job.ready, job.imported) == (
        1200, 1200, 1200, 1200,
    )  # fmt: skip
    assert job.result is not None and job.result.rows == 1200
    assert Asset.objects.count() == 1200
    phases = [f["phase"] for f in seen if "phase" in f]
    assert phases == [
        JobPhase.READING,
        JobPhase.CHECKING,
        JobPhase.PREPARING,  # row 0
        JobPhase.PREPARING,  # row 1,000
        JobPhase.SAVING,
        JobPhase.FINISHED,
    ]
    # Checking reported its rows as it went.
    assert {"done": 999} in seen
    # The file is gone once imported.
    assert not _tmp_upload_path(job.token, job.suffix).exists()


_TMP: dict[str, Any] = {}


def _tmp_upload_path(token: str, suffix: str):  # type: ignore[no-untyped-def]
    import tempfile
    from pathlib import Path

    folder = _TMP.setdefault("dir", Path(tempfile.mkdtemp()))
    return folder / f"{token}{suffix}"


def test_percent_follows_the_phases() -> None:
    job = ImportJob(state=JobState.RUNNING, total=1000)
    for phase, done, percent in [
        (JobPhase.QUEUED, 0, 0),
        (JobPhase.READING, 0, 0),
        (JobPhase.CHECKING, 500, 35),
        (JobPhase.PREPARING, 1000, 90),
        (JobPhase.SAVING, 0, 90),
    ]:
        job.phase, job.done = phase, done
        assert job.percent == percent
    job.state = JobState.DONE
    assert job.percent == 100


def test_running_job_page_shows_progress_and_refreshes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "upload_path", _tmp_upload_path)
    job = _start(world, _csv([_row("A-1")]), dry_run=False)  # not run yet
    ImportJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, phase=JobPhase.CHECKING, done=400, total=1000
    )
    client = signed_in_client(world.a.people[Role.IAO])
    response = client.get(f"/assets/import/jobs/{job.pk}/")
    assert response["Refresh"] == "2"
    page = " ".join(response.content.decode().split())
    assert '<progress id="import-progress" max="100" value="30">' in page
    assert "Checking each row: 400 of 1,000 rows" in page
    assert "style=" not in page  # nothing the CSP would refuse
    # Once finished, the page stops asking again.
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    assert "Refresh" not in client.get(f"/assets/import/jobs/{job.pk}/")


def test_only_the_person_who_started_it_sees_a_job(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "upload_path", _tmp_upload_path)
    job = _start(world, _csv([_row("A-1")]), dry_run=True)
    for user in (world.a.people[Role.SIRO], world.central):
        response = signed_in_client(user).get(f"/assets/import/jobs/{job.pk}/")
        assert response.status_code == 404


def test_big_file_is_checked_in_the_background_then_imported(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(services, "INLINE_ROWS", 2)
    client = signed_in_client(world.a.people[Role.IAO])
    upload = io.BytesIO(_csv([_row(f"A-{i}") for i in range(3)]))
    upload.name = "big.csv"
    client.post("/assets/import/", {"organisation": "alpha", "file": upload})
    page = client.get("/assets/import/map/").content.decode()
    assert "This file has 3 rows: it is checked in the background" in page
    mapping = {
        f"map_{f}": str(i) for i, (f, _, _) in enumerate(importing.COLUMNS)
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/assets/import/map/", mapping)
    check = ImportJob.objects.get()
    assert response["Location"] == f"/assets/import/jobs/{check.pk}/"
    assert check.dry_run and not Asset.objects.exists()
    page = " ".join(client.get(response["Location"]).content.decode().split())
    assert "<strong>3</strong> assets are ready to import" in page
    assert "Import 3 assets" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/assets/import/jobs/{check.pk}/commit/")
    commit = ImportJob.objects.exclude(pk=check.pk).get()
    assert response["Location"] == f"/assets/import/jobs/{commit.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "3 assets imported" in page
    assert Asset.objects.count() == 3
    # Asking again for the same file: refused, nothing duplicated.
    response = client.post(
        f"/assets/import/jobs/{check.pk}/commit/", follow=True
    )
    assert "already been imported" in response.content.decode()
    assert Asset.objects.count() == 3


def test_a_job_whose_file_is_gone_fails_and_says_so(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(importing, "upload_path", _tmp_upload_path)
    job = _start(world, _csv([_row("A-1")]), dry_run=False)
    _tmp_upload_path(job.token, job.suffix).unlink()
    services.run_import.enqueue(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "upload it again" in job.message
    page = signed_in_client(world.a.people[Role.IAO]).get(
        f"/assets/import/jobs/{job.pk}/"
    )
    assert "Nothing was imported" in page.content.decode()
