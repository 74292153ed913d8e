"""Benchmark of ``steward.ledger``: appends, proofs, bundles, pymerkle.

A plain script that prints figures (not a test). From the repository root:

    .venv/bin/python -m bench.ledger_bench            # the full run
    .venv/bin/python -m bench.ledger_bench --size 1000000 --skip-postgres

Everything runs in this one process, one thread at a time except for
group commit's callers, which are pinned to one core (``--core``) so that
they share one core as a single caller would. The PostgreSQL servers are
processes of their own and are not pinned. Durable
means committed with SQLite ``synchronous=FULL`` (an fsync per commit) or
PostgreSQL ``synchronous_commit=on`` with ``fsync=on``: the throw-away
PostgreSQL server from ``tests.support.pgserver`` runs with fsync off, so
PostgreSQL appends are measured twice: on that server and on one this
script starts with fsync on (the durable figure). Proofs are reads, so
they are measured on the first server only.

Single appends are measured three ways: one caller appending one entry
after another (each waits for its own commit, so the disk's sync rate is
the ceiling); the same interleaved, a few hundred at a time, with the
disk's bare commit (overwrite a WAL frame in a preallocated file and
fdatasync, which is what SQLite's WAL does once warm), so that both see
the same moment of a shared disk; and ``--threads`` callers appending at
once through ``GroupCommit``, which commits the entries that arrive during
one commit together in the next; every caller is still answered only
after the commit holding its entry. The disk's durable writes are also
measured several ways, interleaved (the old measure here, appending to a
growing file and fsync, also syncs the file's size and is pessimistic).

Proofs are timed three ways (see ``proofs``): every hash read from
storage; the upper subtrees in memory as a handle holds them once read
(the leaf's group and the right edge read from storage); and a long-lived
handle. The database's own caches stay warm throughout. On PostgreSQL
they are timed again with the server's backend on this process's CPU:
this machine is a virtual one, where waking a process on the other CPU
costs tens of microseconds each way.
"""

from __future__ import annotations

import argparse
import math
import mmap
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, not with -m
    sys.path.insert(0, str(ROOT))

import pymerkle  # noqa: E402
from tests.support import pgserver  # noqa: E402

from steward.ledger import (  # noqa: E402
    Checkpoint,
    Event,
    GroupCommit,
    Log,
    NoteSigner,
    merkle,
    verify_bundle,
    write_bundle,
)
from steward.ledger._compact import CompactRange  # noqa: E402

ORIGIN = "bench.ledger.example/v1"
ALL_CPUS = os.sched_getaffinity(0)
CORE = min(ALL_CPUS)


@contextmanager
def one_core() -> Iterator[None]:
    """Run on the one CPU ``CORE`` only (threads included)."""
    os.sched_setaffinity(0, {CORE})
    try:
        yield
    finally:
        os.sched_setaffinity(0, ALL_CPUS)


def say(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f} /s  ({count:,} in {seconds:.2f} s)"


def micros(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99)]
    return (f"mean {statistics.fmean(ordered) * 1e6:7.1f} µs, "
            f"p50 {ordered[len(ordered) // 2] * 1e6:7.1f} µs, "
            f"p99 {p99 * 1e6:7.1f} µs")


def make_events(count: int) -> list[bytes]:
    """Realistic canonical events, about 300 bytes each."""
    return [
        Event.create(
            actor=f"user:{i % 997}", organisation="org:hmrc",
            action="asset.update", object_type="asset",
            object_id=str(i), digest=f"{i:064x}",
            details={"rows": i, "sensitive": i % 2 == 0},
        ).to_bytes()
        for i in range(count)
    ]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def appends(log: Log, events: list[bytes], args: argparse.Namespace
            ) -> None:
    """Batched then single appends, ``--repeat`` times each: the machine
    is shared, so the median and the best of the rounds are printed."""
    batch, singles = args.batch, args.singles

    def batched() -> None:
        for start in range(0, len(events), batch):
            log.append_many(events[start:start + batch])

    def one_by_one() -> None:
        for event in events[:singles]:
            log.append(event)

    rounds = [timed(batched) for _ in range(args.repeat)]
    say(f"batched appends ({batch:,} per transaction)",
        rates(len(events), rounds))
    rounds = [timed(one_by_one) for _ in range(args.repeat)]
    say("durable single appends, one caller (one commit each)",
        rates(singles, rounds))
    with one_core():
        for threads in args.threads:
            grouped(log, events, threads, args)


def grouped(log: Log, events: list[bytes], threads: int,
            args: argparse.Namespace) -> None:
    """``threads`` callers each appending single entries through one
    ``GroupCommit``; ``--singles`` entries in all per round."""
    committer = GroupCommit(log)
    each = max(1, args.singles // threads)
    per_commit: list[float] = []

    def caller(first: int) -> None:
        for event in events[first:first + each]:
            committer.append(event)

    def one_round() -> None:
        before = committer.commits
        callers = [threading.Thread(target=caller, args=(n * each,))
                   for n in range(threads)]
        for thread in callers:
            thread.start()
        for thread in callers:
            thread.join()
        per_commit.append(each * threads / (committer.commits - before))

    rounds = [timed(one_round) for _ in range(args.repeat)]
    say(f"durable single appends, {threads} callers (group commit)",
        rates(each * threads, rounds)
        + f", {statistics.median(per_commit):.1f} entries per commit")


def rates(count: int, rounds: list[float]) -> str:
    per_second = sorted(count / seconds for seconds in rounds)
    return (f"{statistics.median(per_second):>12,.0f} /s median, "
            f"{per_second[-1]:,.0f} best, {per_second[0]:,.0f} worst "
            f"({len(rounds)} rounds of {count:,})")


class _Probe:
    """A file synced after each write, as a commit would be."""

    def __init__(self, path: Path, flags: int = 0, preallocate: bool = True,
                 size: int = 16 << 20) -> None:
        self.path = path
        with open(path, "wb") as out:
            if preallocate:  # written, not fallocate()d: no unwritten extents
                block = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
        self.fd = os.open(path, os.O_RDWR | flags)
        self.size = size

    def close(self) -> None:
        os.close(self.fd)
        self.path.unlink()


def _aligned(data: bytes) -> mmap.mmap:
    """``data`` in page-aligned memory, as O_DIRECT wants it."""
    buffer = mmap.mmap(-1, len(data))
    buffer.write(data)
    return buffer


# What the disk can do for a durable commit, several ways. SQLite's WAL is
# overwritten from its start once a checkpoint has emptied it, so a warm
# log's commit is "overwrite one frame (24-byte header + 4 KiB page) and
# fdatasync", which needs no journal commit in the file system; appending
# to a growing file (the old measure here) also syncs its new size.
def _disk_methods(directory: Path
                  ) -> list[tuple[str, _Probe, Callable[[_Probe, int], None]]]:
    frame, page = b"f" * 4120, b"p" * 4096
    direct = _aligned(page)

    def append_fsync(probe: _Probe, n: int) -> None:
        os.write(probe.fd, b"x" * 512)
        os.fsync(probe.fd)

    def overwrite(data: bytes) -> Callable[[_Probe, int], None]:
        def commit(probe: _Probe, n: int) -> None:
            places = probe.size // len(data) - 1
            os.pwrite(probe.fd, data, 32 + n % places * len(data))
            os.fdatasync(probe.fd)
        return commit

    def dsync(probe: _Probe, n: int) -> None:
        os.pwrite(probe.fd, page, n % 4000 * 4096)

    def odirect(probe: _Probe, n: int) -> None:
        os.pwritev(probe.fd, [direct], n % 4000 * 4096)

    def nothing(probe: _Probe, n: int) -> None:
        os.fdatasync(probe.fd)

    methods = [
        ("append 512 B + fsync, growing file (the old measure)",
         _Probe(directory / "probe-grow", preallocate=False), append_fsync),
        ("overwrite 4 KiB + fdatasync",
         _Probe(directory / "probe-4k"), overwrite(page)),
        ("overwrite a WAL frame (4,120 B) + fdatasync",
         _Probe(directory / "probe-frame"), overwrite(frame)),
        ("overwrite 4 KiB, O_DSYNC",
         _Probe(directory / "probe-dsync", os.O_DSYNC), dsync),
        ("fdatasync alone, nothing written",
         _Probe(directory / "probe-none"), nothing),
    ]
    try:
        methods.append(("overwrite 4 KiB, O_DIRECT | O_DSYNC", _Probe(
            directory / "probe-direct", os.O_DIRECT | os.O_DSYNC), odirect))
    except OSError:
        pass  # a file system without O_DIRECT (tmpfs)
    return methods


def latencies(samples: list[float], count: int | None = None,
              seconds: float | None = None) -> str:
    """p50 as a rate, and the throughput over the time taken."""
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    text = f"p50 {p50 * 1e6:6.0f} µs ({1 / p50:>6,.0f}/s)"
    if count is not None and seconds:
        text += f", throughput {count / seconds:>6,.0f}/s"
    return text + f", p99 {ordered[int(len(ordered) * 0.99)] * 1e6:,.0f} µs"


def disk_ceiling(directory: Path, rounds: int = 10, per: int = 200) -> None:
    """Each way of committing ``per`` times in turn, ``rounds`` times, so
    that other work on the machine weighs on each alike."""
    print(f"  this disk's durable writes ({rounds} interleaved rounds of "
          f"{per}; load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()) + ")")
    methods = _disk_methods(directory)
    samples: dict[str, list[float]] = {label: [] for label, _, _ in methods}
    spent = dict.fromkeys(samples, 0.0)
    done = 0
    for _ in range(rounds):
        for label, probe, commit in methods:
            began = time.perf_counter()
            for n in range(done, done + per):
                start = time.perf_counter()
                commit(probe, n)
                samples[label].append(time.perf_counter() - start)
            spent[label] += time.perf_counter() - began
        done += per
    for label, probe, _ in methods:
        probe.close()
        say(label, latencies(samples[label], rounds * per, spent[label]))


def singles_against_disk(log: Log, events: list[bytes], directory: Path,
                         rounds: int = 10, per: int = 300,
                         sqlite_floor: bool = False) -> None:
    """Single appends and the disk's bare commit (overwrite a WAL frame and
    fdatasync) in turn, ``per`` of each a round: how close an append gets
    to what the disk allows at the same moment. ``sqlite_floor``: also
    the least a SQLite commit can be (one row of the same size into one
    page, WAL, synchronous=FULL, straight from sqlite3)."""
    probe = _Probe(directory / "probe-frame")
    frame = b"f" * 4120
    places = probe.size // len(frame) - 1
    entries = iter(events * (rounds * per // len(events) + 1))

    def bare(n: int) -> None:
        os.pwrite(probe.fd, frame, 32 + n % places * len(frame))
        os.fdatasync(probe.fd)

    commits: dict[str, Callable[[int], object]] = {
        f"single appends ({rounds} rounds of {per}, interleaved)":
            lambda n: log.append(next(entries)),
        "  bare commits: overwrite a WAL frame + fdatasync": bare,
    }
    floor = None
    if sqlite_floor:
        floor = sqlite3.connect(directory / "floor.sqlite3",
                                isolation_level=None)
        floor.execute("PRAGMA journal_mode=WAL")
        floor.execute("PRAGMA synchronous=FULL")
        floor.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY, "
                      "hashes BLOB, data BLOB)")
        row = (b"h" * 64, events[0])
        commits["  bare SQLite commits: one row into one page"] = (
            lambda n: floor.execute(
                "INSERT INTO t VALUES (?, ?, ?)", (n, *row)))
        for n in range(-3000, 0):  # past the WAL's first, growing, cycle
            commits["  bare SQLite commits: one row into one page"](n)
    samples: dict[str, list[float]] = {label: [] for label in commits}
    spent = dict.fromkeys(commits, 0.0)
    cpu = dict.fromkeys(commits, 0.0)
    for round_ in range(rounds):
        for label, commit in commits.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            for n in range(round_ * per, (round_ + 1) * per):
                start = time.perf_counter()
                commit(n)
                samples[label].append(time.perf_counter() - start)
            spent[label] += time.perf_counter() - began
            cpu[label] += time.process_time() - began_cpu
    probe.close()
    if floor is not None:
        floor.close()
    count = rounds * per
    for label in commits:
        say(label, latencies(samples[label], count, spent[label])
            + f", CPU {cpu[label] / count * 1e6:.0f} µs")
    ours, disk = (sorted(samples[label])[count // 2]
                  for label in list(commits)[:2])
    say("  append p50 as a share of the bare commit's rate",
        f"{disk / ours:.0%} (CPU includes system time)")


def _forget(log: Log, upper: bool) -> None:
    """Empty the handle's in-memory subtree hashes; ``upper``: the upper
    levels too, and read none into memory (else they stay)."""
    log._recent.clear()
    if hasattr(log, "_folds"):
        log._folds.clear()
    if upper and hasattr(log, "_upper"):
        log._upper = type(log._upper)(keep=False)
    if upper and hasattr(log, "_cache"):  # the handle before upper levels
        log._cache.clear()


def _cpu_of(pid: int | None) -> float:
    """CPU seconds process ``pid`` has used (0 if none)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proofs(log: Log, samples: int, server: int | None = None,
           how: str = "") -> None:
    """Random inclusion and consistency proofs at the log's size, three
    ways: (1) every hash read from storage, the handle's in-memory hashes
    emptied before each proof (and no upper levels held); (2) the upper
    subtrees (level 8 and above) in memory as a handle holds them once it
    has read them (timed once), everything else emptied before each proof,
    so the leaf's neighbourhood and the right edge come from storage; (3) a
    long-lived handle, nothing emptied. The database's own cache stays as
    it is in all three (PostgreSQL's shared buffers, the OS page cache).
    CPU per proof is this process's and, given ``server``, the PostgreSQL
    backend's."""
    size = log.size
    chance = random.Random(1)
    head = log.root()
    lengths = []
    modes = [("every hash from storage", True),
             ("upper levels in memory, rest from storage", False),
             ("long-lived handle", None)]
    for label, upper in modes:
        if upper is False:
            if not hasattr(log, "_upper"):
                continue  # the handle before upper levels
            log._upper = type(log._upper)()
            say("reading the upper levels into memory (once per process)",
                f"{timed(log._load_upper) * 1e3:.1f} ms")
        inclusion, consistency = [], []
        cpu = -time.process_time()
        server_cpu = -_cpu_of(server)
        for _ in range(samples):
            index = chance.randrange(size)
            if upper is not None:
                _forget(log, upper)
            start = time.perf_counter()
            path = log.inclusion_proof(index)
            inclusion.append(time.perf_counter() - start)
            lengths.append(len(path))
            old = chance.randrange(1, size)
            if upper is not None:
                _forget(log, upper)
            start = time.perf_counter()
            log.consistency_proof(old)
            consistency.append(time.perf_counter() - start)
        cpu += time.process_time()
        server_cpu += _cpu_of(server)
        say(f"inclusion proof at {size:,}: {label}{how}", micros(inclusion))
        say(f"consistency proof at {size:,}: {label}{how}",
            micros(consistency))
        say("  CPU per proof" + (", this process + the server" if server
                                 else ""),
            f"{cpu / samples / 2 * 1e6:.0f} µs"
            + (f" + {server_cpu / samples / 2 * 1e6:.0f} µs" if server
               else ""))
    if hasattr(log, "_upper"):
        log._upper = type(log._upper)()
    say("inclusion proof length (max seen; ⌈log2 n⌉)",
        f"{max(lengths)} hashes; ⌈log2 n⌉ = {math.ceil(math.log2(size))}")
    index = chance.randrange(size)
    assert merkle.verify_inclusion(
        merkle.leaf_hash(log.entry(index)), index, size,
        log.inclusion_proof(index), head)
    old = chance.randrange(1, size)
    assert merkle.verify_consistency(old, size, log.root_at(old), head,
                                     log.consistency_proof(old))


def build(log: Log, size: int, batch: int = 100_000) -> float:
    """Fill ``log`` with ``size`` short entries, batch by batch."""
    def fill() -> None:
        for start in range(log.size, size, batch):
            stop = min(size, start + batch)
            log.append_many([b"entry %d" % i for i in range(start, stop)])

    return timed(fill)


def sqlite_section(args: argparse.Namespace, events: list[bytes],
                   work: Path) -> None:
    print("SQLite (WAL, synchronous=FULL)")
    if "appends" in args.parts:
        disk_ceiling(work)
        with Log.open(work / "appends.sqlite3", origin=ORIGIN) as log:
            appends(log, events, args)
            singles_against_disk(log, events, work, sqlite_floor=True)
    if "proofs" in args.parts:
        with Log.open(work / "proofs.sqlite3", origin=ORIGIN) as log:
            seconds = build(log, args.size)
            say(f"building {args.size:,} short entries (batches of "
                "100,000)", rate(args.size, seconds))
            proofs(log, args.samples)


@contextmanager
def durable_postgres() -> Iterator[str]:
    """Like ``pgserver.running()`` but with fsync on, so that a commit is
    on disk when it returns (the test server runs with fsync off)."""
    tmp = Path(tempfile.mkdtemp(prefix="steward-bench-pg-"))
    data, port = tmp / "data", pgserver._free_port()
    if os.geteuid() == 0:
        shutil.chown(tmp, "nobody")
        tmp.chmod(0o700)
    pgserver._run(pgserver._binary("initdb"), "-D", str(data), "-U",
                  "steward", "--auth=trust", "--encoding=UTF8")
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} "
               "-c fsync=on -c synchronous_commit=on")
    pgserver._run(pgserver._binary("pg_ctl"), "-D", str(data), "-o",
                  options, "-l", str(tmp / "log"), "-w", "start")
    try:
        yield f"postgresql://steward@127.0.0.1:{port}/postgres"
    finally:
        pgserver._run(pgserver._binary("pg_ctl"), "-D", str(data), "-m",
                      "fast", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def postgres_section(args: argparse.Namespace, events: list[bytes],
                     work: Path) -> None:
    buffers = args.pg_shared_buffers
    servers: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [
        (f"tests.support.pgserver (fsync=off, shared_buffers={buffers})",
         lambda: pgserver.running(f"-c shared_buffers={buffers}")),
        ("fsync=on", durable_postgres),
    ]
    for number, (label, server) in enumerate(servers):
        if number == 1 and "appends" not in args.parts:
            continue
        print(f"PostgreSQL {label}, psycopg 3, synchronous_commit=on")
        with server() as url:
            if "appends" in args.parts:
                with Log.open(url, origin=ORIGIN,
                              schema="bench_appends") as log:
                    appends(log, events, args)
                    if number > 0:
                        singles_against_disk(log, events, work)
            if number > 0 or "proofs" not in args.parts:
                continue
            with Log.open(url, origin=ORIGIN, schema="bench_proofs") as log:
                seconds = build(log, args.pg_size)
                say(f"building {args.pg_size:,} short entries",
                    rate(args.pg_size, seconds))
                say("VACUUM ANALYZE, as autovacuum would after the load",
                    f"{timed(lambda: vacuum(url, 'bench_proofs')):.1f} s")
                backend = log._store._db.pgconn.backend_pid
                round_trips(url, args.samples)
                proofs(log, args.samples, backend)
                # A cross-CPU wake-up costs a virtual machine dearly; with
                # the server's backend on this process's CPU, none is needed.
                with one_core():
                    os.sched_setaffinity(backend, {CORE})
                    round_trips(url, args.samples, pinned=True)
                    proofs(log, args.samples, backend,
                           ", server on this CPU")
                    os.sched_setaffinity(backend, ALL_CPUS)
                round_trips(url, args.samples)


def vacuum(url: str, schema: str) -> None:
    """Set hint bits and the visibility map on freshly loaded rows, which
    a long-lived log has long had (else each first read pays for them)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        for table in ("ledger_entry_run", "ledger_node"):
            db.execute(f"VACUUM ANALYZE {schema}.{table}")


def round_trips(url: str, samples: int, pinned: bool = False) -> None:
    """The floor under any read from the server: a prepared ``SELECT 1``
    through libpq, as the proofs' query is sent; ``pinned``: with the
    server's backend on this process's one CPU."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        connection = db.pgconn
        if pinned:
            os.sched_setaffinity(connection.backend_pid, {CORE})
        connection.prepare(b"bench_one", b"SELECT 1")
        times = []
        for _ in range(samples):
            start = time.perf_counter()
            connection.exec_prepared(b"bench_one", [], None, 1)
            times.append(time.perf_counter() - start)
    say("bare round trip (prepared SELECT 1)"
        + (", server on this CPU" if pinned else ""), micros(times))


def bundle_section(args: argparse.Namespace, events: list[bytes],
                   work: Path) -> None:
    print(f"Bundle of {args.bundle_size:,} events")
    entries = (events * (args.bundle_size // len(events) + 1))[
        :args.bundle_size]
    compact = CompactRange()
    for entry in entries:
        compact.append(merkle.leaf_hash(entry))
    key = NoteSigner.generate("bench.ledger.example")
    note = Checkpoint(ORIGIN, len(entries), compact.root()).sign(key)
    path = work / "bundle.zip"
    say("writing the bundle",
        rate(len(entries), timed(lambda: write_bundle(path, note, entries))))
    say("bundle size", f"{path.stat().st_size / 1e6:,.1f} MB")
    report = None

    def verify() -> None:
        nonlocal report
        report = verify_bundle(path, key.vkey())

    seconds = timed(verify)
    assert report is not None and report.ok, report
    say("full verification (signature, every entry, root)",
        f"{seconds:.2f} s ({len(entries) / seconds:,.0f} entries/s)")


def pymerkle_section(args: argparse.Namespace, events: list[bytes],
                     work: Path) -> None:
    count = min(args.pymerkle_size, len(events))
    leaves = events[:count]
    print(f"pymerkle {pymerkle.__version__} on the same {count:,} events")

    ours = CompactRange()
    ours_seconds = timed(
        lambda: [ours.append(merkle.leaf_hash(e)) for e in leaves])
    theirs = pymerkle.InmemoryTree()
    theirs_seconds = timed(lambda: [theirs.append_entry(e) for e in leaves])
    assert theirs.get_root() == ours.root(), "roots differ"
    say("in memory: steward.ledger appends", rate(count, ours_seconds))
    say("in memory: pymerkle InmemoryTree.append_entry",
        rate(count, theirs_seconds))
    say("in memory: ratio (steward / pymerkle)",
        f"{theirs_seconds / ours_seconds:.1f}x")

    with Log.open(work / "ours.sqlite3", origin=ORIGIN) as log:
        ours_seconds = timed(lambda: log.append_many(leaves))
        root = log.root()
    tree = pymerkle.SqliteTree(str(work / "pymerkle.sqlite3"))
    insert_seconds = timed(lambda: tree.append_entries(leaves))
    root_seconds = timed(tree.get_root)
    assert tree.get_root() == root, "roots differ"
    say("SQLite bulk: steward.ledger append_many (root kept current)",
        rate(count, ours_seconds))
    say("SQLite bulk: pymerkle append_entries (no root yet)",
        rate(count, insert_seconds))
    say("SQLite bulk: pymerkle append_entries then get_root",
        rate(count, insert_seconds + root_seconds))
    say("SQLite bulk: ratio (steward / pymerkle with root)",
        f"{(insert_seconds + root_seconds) / ours_seconds:.1f}x")

    chance = random.Random(2)
    ours_times, theirs_times = [], []
    with Log.open(work / "ours.sqlite3", origin=ORIGIN) as log:
        for _ in range(200):
            index = chance.randrange(count)
            ours_times.append(timed(lambda i=index: log.inclusion_proof(i)))
            theirs_times.append(timed(
                lambda i=index: tree.prove_inclusion(i + 1, count)))
    tree.close()
    say("inclusion proof: steward.ledger from SQLite", micros(ours_times))
    say("inclusion proof: pymerkle SqliteTree", micros(theirs_times))
    speedup = statistics.fmean(theirs_times) / statistics.fmean(ours_times)
    say("inclusion proof: ratio (steward / pymerkle, mean)",
        f"{speedup:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000_000,
                        help="entries in the SQLite log proofs are read "
                             "from (default 10,000,000)")
    parser.add_argument("--pg-size", type=int, default=10_000_000,
                        help="entries in the PostgreSQL proof log "
                             "(default 10,000,000)")
    parser.add_argument("--pg-shared-buffers", default="128MB",
                        help="the proofs' PostgreSQL server's shared_buffers "
                             "(default 128MB, PostgreSQL's own; a 10-million"
                             "-entry log is about 700 MB)")
    parser.add_argument("--events", type=int, default=500_000,
                        help="events for the batched appends")
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=5_000)
    parser.add_argument("--threads", type=int, nargs="*",
                        default=[4, 16, 64, 256],
                        help="concurrent callers for group commit")
    parser.add_argument("--core", type=int, default=None,
                        help="the CPU group commit's callers run on "
                             "(default: the first this process may use)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of each append measurement")
    parser.add_argument("--samples", type=int, default=2_000,
                        help="proofs of each kind to time")
    parser.add_argument("--bundle-size", type=int, default=1_000_000)
    parser.add_argument("--pymerkle-size", type=int, default=200_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--parts", nargs="*",
                        default=["appends", "proofs", "bundle", "pymerkle"],
                        choices=["appends", "proofs", "bundle", "pymerkle"],
                        help="what to measure (default: all)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to put the databases (default: a "
                             "temporary directory, removed after)")
    args = parser.parse_args()
    global CORE
    if args.core is not None:
        CORE = args.core

    with tempfile.TemporaryDirectory(dir=args.dir) as directory:
        work = Path(directory)
        print(f"Python {sys.version.split()[0]}, work in {work}, "
              f"group commit pinned to CPU {CORE}; load average "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        started = time.perf_counter()
        events = make_events(max(args.events, args.pymerkle_size))
        say("event encoding (Event.create + to_bytes)",
            rate(len(events), time.perf_counter() - started))
        say("mean event size", f"{statistics.fmean(map(len, events)):.0f} "
                               "bytes")
        if not args.skip_sqlite:
            sqlite_section(args, events[:args.events], work)
        if not args.skip_postgres:
            postgres_section(args, events[:args.events], work)
        if "bundle" in args.parts:
            bundle_section(args, events, work)
        if "pymerkle" in args.parts:
            pymerkle_section(args, events, work)


if __name__ == "__main__":
    main()
