"""A child process for the crash test: appends until it is killed.

``python -m tests.ledger.crash_child LOCATION [SCHEMA]`` appends single
entries and batches to the log, printing ``begin START STOP`` before each
append and ``ack LAST`` once it has returned. Entry i is always
``b"crash entry %d" % i``, so the parent knows what each must hold.

``python -m tests.ledger.crash_child --group LOCATION [SCHEMA]`` instead
runs ``THREADS`` threads appending single entries through one
``GroupCommit``; each prints ``ack INDEX RUN THREAD N`` once its append of
``group_entry(RUN, THREAD, N)`` has returned INDEX (RUN tells this child's
entries from those of the children before it).
"""

from __future__ import annotations

import random
import sys
import threading
import uuid

from steward.ledger import GroupCommit, Log

ORIGIN = "ledger.crash.example/v1"
THREADS = 8


def entry(index: int) -> bytes:
    return b"crash entry %d" % index


def group_entry(run: str, thread: int, number: int) -> bytes:
    return b"crash run %s thread %d entry %d" % (run.encode(), thread,
                                                 number)


def batches(log: Log) -> None:
    out = sys.stdout
    chance = random.Random()
    while True:
        count = 1 if chance.random() < 0.5 else chance.randint(2, 300)
        start = log.size
        out.write(f"begin {start} {start + count}\n")
        out.flush()
        done = log.append_many(entry(i) for i in range(start, start + count))
        out.write(f"ack {done.stop - 1}\n")
        out.flush()


def group(log: Log) -> None:
    committer = GroupCommit(log)
    printing = threading.Lock()
    run = uuid.uuid4().hex[:8]

    def appender(thread: int) -> None:
        number = 0
        while True:
            index = committer.append(group_entry(run, thread, number))
            with printing:
                sys.stdout.write(f"ack {index} {run} {thread} {number}\n")
                sys.stdout.flush()
            number += 1

    for thread in range(THREADS):
        threading.Thread(target=appender, args=(thread,), daemon=True
                         ).start()
    threading.Event().wait()


def main(argv: list[str]) -> None:
    grouped = argv[0] == "--group"
    if grouped:
        argv = argv[1:]
    location = argv[0]
    schema = argv[1] if len(argv) > 1 else None
    log = Log.open(location, origin=ORIGIN, schema=schema)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    (group if grouped else batches)(log)


if __name__ == "__main__":
    main(sys.argv[1:])
