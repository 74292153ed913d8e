"""The same report whether units run here, in processes or on Dask."""

from __future__ import annotations

from pathlib import Path

import distributed
import pytest

from steward.discovery import Report, ScanConfigError, render, scan_paths


def comparable(report: Report) -> str:
    # Reports are compared whole, through their JSON form.
    return render(report, "json")


@pytest.fixture(scope="module")
def local_report(tree: tuple[Path, list[str]]) -> Report:
    return scan_paths([tree[0]], unit_bytes=4096)


def test_process_pool_matches_in_process(tree: tuple[Path, list[str]],
                                         local_report: Report) -> None:
    pooled = scan_paths([tree[0]], workers=2, unit_bytes=4096)
    assert comparable(pooled) == comparable(local_report)


@pytest.mark.slow
def test_two_worker_dask_cluster_matches_local(
        tree: tuple[Path, list[str]], local_report: Report) -> None:
    """A real LocalCluster with two worker processes, reached by address,
    gives the same findings as a scan in this process."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        done: list[int] = []
        report = scan_paths([tree[0]], cluster=cluster.scheduler_address,
                            unit_bytes=4096,
                            progress=lambda d, n, b, t: done.append(d))
    assert comparable(report) == comparable(local_report)
    assert done == list(range(len(done))) and len(done) > 2


def test_bad_cluster_address_is_a_config_error(
        tree: tuple[Path, list[str]]) -> None:
    with pytest.raises(ScanConfigError, match="tcp://"):
        scan_paths([tree[0]], cluster="http://nowhere")
    with pytest.raises(ScanConfigError, match="--workers"):
        scan_paths([tree[0]], workers=0)
