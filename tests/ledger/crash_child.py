"""A child process for the crash test: appends until it is killed.

``python -m tests.ledger.crash_child LOCATION [SCHEMA]`` appends single
entries and batches to the log, printing ``begin START STOP`` before each
append and ``ack LAST`` once it has returned. Entry i is always
``b"crash entry %d" % i``, so the parent knows what each must hold.
"""

from __future__ import annotations

import random
import sys

from steward.ledger import Log

ORIGIN = "ledger.crash.example/v1"


def entry(index: int) -> bytes:
    return b"crash entry %d" % index


def main(argv: list[str]) -> None:
    location = argv[0]
    schema = argv[1] if len(argv) > 1 else None
    log = Log.open(location, origin=ORIGIN, schema=schema)
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    chance = random.Random()
    while True:
        count = 1 if chance.random() < 0.5 else chance.randint(2, 300)
        start = log.size
        out.write(f"begin {start} {start + count}\n")
        out.flush()
        done = log.append_many(entry(i) for i in range(start, start + count))
        out.write(f"ack {done.stop - 1}\n")
        out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
