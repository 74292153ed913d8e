"""A log killed at any moment keeps every acknowledged entry, whole."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from steward.ledger import Log, merkle
from tests.ledger.crash_child import ORIGIN, entry, group_entry

ROOT = Path(__file__).resolve().parents[2]
KILLS = 10


def run_and_kill(location: str, schema: str | None, delay: float,
                 grouped: bool = False) -> list[str]:
    """Start a child appending, SIGKILL it after ``delay`` seconds of
    appending and return the lines it printed."""
    args = [sys.executable, "-m", "tests.ledger.crash_child",
            *(["--group"] if grouped else []), location]
    if schema:
        args.append(schema)
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE,
                             text=True, env=dict(os.environ))
    assert child.stdout is not None
    assert child.stdout.readline() == "ready\n"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    output, _ = child.communicate()
    return output.splitlines()


def check_after_crash(location: str, schema: str | None,
                      lines: list[str]) -> int:
    acked = [int(line.split()[1]) for line in lines if line.startswith("ack")]
    begun = [line.split()[1:] for line in lines if line.startswith("begin")]
    with Log.open(location, origin=ORIGIN, schema=schema) as log:
        size = log.size
        stored = list(log.entries())
        # Every acknowledged entry is there, with the right bytes.
        assert size > max(acked, default=-1)
        assert stored == [entry(i) for i in range(size)]
        # The batch in flight at the kill is there whole or not at all.
        if begun:
            start, stop = map(int, begun[-1])
            assert size in (start, stop)
        # Stored subtrees agree with a fresh hash of every entry.
        assert log.root() == merkle.root(stored)
        if size > 1:
            old = random.randint(1, size - 1)
            assert merkle.verify_consistency(
                old, size, log.root_at(old), log.root(),
                log.consistency_proof(old, size))
    return size


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sigkill_never_loses_an_acknowledged_entry(backend, tmp_path,
                                                    request):
    """Kill -9 at random moments: no acknowledged entry is lost, no batch
    is half-written, and the log still verifies."""
    if backend == "sqlite":
        location, schema = str(tmp_path / "crash.sqlite3"), None
    else:
        location = request.getfixturevalue("postgres_url")
        schema = f"ledger_crash_{uuid.uuid4().hex[:12]}"
    sizes = []
    for _ in range(KILLS):
        lines = run_and_kill(location, schema, random.uniform(0.02, 0.4))
        sizes.append(check_after_crash(location, schema, lines))
    assert sizes == sorted(sizes)
    assert sizes[-1] > 0


def check_group_after_crash(location: str, schema: str | None,
                            lines: list[str]) -> int:
    with Log.open(location, origin=ORIGIN, schema=schema) as log:
        size = log.size
        stored = list(log.entries())
        # Every acknowledged entry is there, at the index it was given.
        for line in lines:
            # Each line is one write, so a kill never leaves half of one.
            parts = line.split()
            if parts[0] == "ack":
                index, run, thread, number = parts[1:]
                assert int(index) < size
                assert stored[int(index)] == group_entry(run, int(thread),
                                                         int(number))
        # No entry twice, and a thread's entries in the order it sent them.
        assert len(set(stored)) == len(stored)
        last: dict[tuple[bytes, bytes], int] = {}
        for data in stored:
            _, _, run, _, thread, _, number = data.split()
            assert int(number) == last.get((run, thread), -1) + 1
            last[(run, thread)] = int(number)
        assert log.root() == merkle.root(stored)
        if size > 1:
            old = random.randint(1, size - 1)
            assert merkle.verify_consistency(
                old, size, log.root_at(old), log.root(),
                log.consistency_proof(old, size))
    return size


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sigkill_during_group_commit_loses_no_acknowledged_entry(
    backend, tmp_path, request
):
    """Eight threads append through one GroupCommit and the process is
    killed -9 at random moments: every entry a thread was told is stored
    is there, at the index it was told, and the log verifies."""
    if backend == "sqlite":
        location, schema = str(tmp_path / "group.sqlite3"), None
    else:
        location = request.getfixturevalue("postgres_url")
        schema = f"ledger_group_{uuid.uuid4().hex[:12]}"
    sizes = []
    for _ in range(KILLS):
        lines = run_and_kill(location, schema, random.uniform(0.02, 0.4),
                             grouped=True)
        sizes.append(check_group_after_crash(location, schema, lines))
    assert sizes == sorted(sizes)
    assert sizes[-1] > 0
