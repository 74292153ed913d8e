"""``scan_paths``: plan units, run them, merge a report."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from steward.discovery._cluster import execute
from steward.discovery._limits import Limits
from steward.discovery._tally import UnitResult, build_report
from steward.discovery._units import UNIT_BYTES, plan
from steward.discovery._worker import ScanOptions
from steward.discovery.report import Report

#: Progress: (units done, units in all, bytes done, bytes in all).
Progress = Callable[[int, int, int, int], None]


def scan_paths(
    paths: Sequence[str | Path],
    *,
    workers: int = 1,
    cluster: str | None = None,
    limits: Limits | None = None,
    min_score: float = 0.5,
    unit_bytes: int = UNIT_BYTES,
    progress: Progress | None = None,
) -> Report:
    """Scan files, directories and database URLs for personal data.

    ``workers`` processes run the units on this machine; with ``cluster``
    (``"local"`` or ``"tcp://HOST:PORT"``) they run on Dask instead. The
    report is the same either way. Sources that cannot be read are listed
    in ``Report.problems``; the scan goes on.
    """
    targets = [str(path) for path in paths]
    units, problems = plan(targets, unit_bytes)
    total_bytes = sum(unit.size for unit in units)
    if progress is not None:
        progress(0, len(units), 0, total_bytes)

    def on_done(done: int, done_bytes: int) -> None:
        if progress is not None:
            progress(done, len(units), done_bytes, total_bytes)

    # A fresh key per scan: hashes are comparable within a scan only.
    options = ScanOptions(limits=limits or Limits(), key=os.urandom(16),
                          min_score=min_score)
    results = execute(units, options, workers=workers, cluster=cluster,
                      on_done=on_done)
    results.append(UnitResult(problems=problems))
    return build_report(results)
