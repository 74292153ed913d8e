"""Where units run: in this process, in a pool of local processes, or on
a Dask distributed cluster (``local`` starts one; ``tcp://HOST:PORT``
joins one). Results come back indexed by unit, so the merged report does
not depend on which worker finished first."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from steward.discovery._errors import ScanConfigError
from steward.discovery._tally import UnitResult
from steward.discovery._units import Unit
from steward.discovery._worker import ScanOptions, run_unit

#: Called after each unit with (units done, bytes done).
OnDone = Callable[[int, int], None]


def _sequential(units: Sequence[Unit], options: ScanOptions,
                on_done: OnDone) -> list[UnitResult]:
    results = []
    done_bytes = 0
    for count, unit in enumerate(units, start=1):
        results.append(run_unit(unit, options))
        done_bytes += unit.size
        on_done(count, done_bytes)
    return results


def _processes(units: Sequence[Unit], options: ScanOptions, workers: int,
               on_done: OnDone) -> list[UnitResult]:
    results: list[UnitResult | None] = [None] * len(units)
    # forkserver: forking a process that holds Arrow's thread pools is
    # unsafe, and spawn would import everything again for each worker.
    context = multiprocessing.get_context("forkserver")
    done_bytes = 0
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=context) as pool:
        futures = {pool.submit(run_unit, unit, options): n
                   for n, unit in enumerate(units)}
        for count, future in enumerate(as_completed(futures), start=1):
            n = futures[future]
            results[n] = future.result()
            done_bytes += units[n].size
            on_done(count, done_bytes)
    return [result for result in results if result is not None]


def _dask(units: Sequence[Unit], options: ScanOptions, address: str,
          workers: int, on_done: OnDone) -> list[UnitResult]:
    # Imported here, not at the top: distributed takes about a second to
    # import, which every scan_text caller would otherwise pay.
    import distributed

    cluster: distributed.LocalCluster | None = None
    try:
        if address == "local":
            cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=50)
            client = distributed.Client(cluster)  # type: ignore[no-untyped-call]
        else:
            client = distributed.Client(  # type: ignore[no-untyped-call]
                address, timeout=30)
    except (OSError, TimeoutError) as error:
        raise ScanConfigError(
            f"cannot reach the Dask scheduler at {address} ({error}); "
            "check the address and that the scheduler is running"
        ) from error
    try:
        futures = client.map(run_unit, list(units), options=options,
                             pure=False)
        index = {future.key: n for n, future in enumerate(futures)}
        results: list[UnitResult | None] = [None] * len(units)
        done_bytes = 0
        completed = distributed.as_completed(  # type: ignore[no-untyped-call]
            futures)
        for count, future in enumerate(completed,
                                       start=1):
            n = index[future.key]
            results[n] = future.result()
            done_bytes += units[n].size
            on_done(count, done_bytes)
        return [result for result in results if result is not None]
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def execute(units: Sequence[Unit], options: ScanOptions, *, workers: int,
            cluster: str | None, on_done: OnDone) -> list[UnitResult]:
    """Run every unit; results in unit order."""
    if workers < 1:
        raise ScanConfigError("--workers must be 1 or more")
    if cluster is not None:
        if cluster != "local" and not cluster.startswith(
            ("tcp://", "tls://")
        ):
            raise ScanConfigError(
                f"--cluster {cluster!r}: give 'local' or a scheduler "
                "address such as tcp://10.0.0.5:8786")
        return _dask(units, options, cluster, workers, on_done)
    if workers == 1 or len(units) < 2:
        return _sequential(units, options, on_done)
    return _processes(units, options, workers, on_done)
