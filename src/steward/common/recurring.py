"""Tasks that keep one copy of themselves queued for their next run.

A recurring task queues its next run when it finishes (in a ``finally``),
and ``steward worker`` queues the first when it starts. Only the database
backend can run a task later; under the tests' immediate backend nothing
is queued.
"""

from __future__ import annotations

from datetime import datetime

from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def can_schedule(task: Task) -> bool:  # type: ignore[type-arg]
    return isinstance(task.get_backend(), DatabaseBackend)


def queued(task: Task) -> DBTaskResult | None:  # type: ignore[type-arg]
    """The next queued run of ``task``, if any."""
    return (
        DBTaskResult.objects.filter(
            task_path=task.module_path, status="READY"
        )
        .order_by("run_after")
        .first()
    )


def ensure_queued(task: Task, run_after: datetime) -> bool:  # type: ignore[type-arg]
    """Queue ``task`` to run at ``run_after`` unless a run is queued
    already; False when this backend cannot run tasks later."""
    if not can_schedule(task):
        return False
    if queued(task) is None:
        task.using(run_after=run_after).enqueue()
    return True
