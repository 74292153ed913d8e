"""A throw-away PostgreSQL server from the machine's own binaries.

``initdb`` into a temporary directory, ``pg_ctl start`` on a free port on
127.0.0.1 with a Unix socket in the same directory, and stop and remove it
afterwards. Used by ``make test`` (through ``python -m tests.support.pgserver
-- COMMAND``) and by tests that need a server of their own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for base in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), reverse=True
    ):
        if (base / name).exists():
            return str(base / name)
    raise RuntimeError(
        f"PostgreSQL's {name} was not found on PATH or under "
        "/usr/lib/postgresql; install the postgresql package"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(*args: str) -> None:
    # initdb and postgres refuse to run as root, so drop to a plain user then.
    cmd = list(args)
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "nobody", "--", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def running(extra: str = "") -> Iterator[str]:
    """Start a server; yield its ``postgresql://`` URL; stop it after.

    ``extra``: more ``postgres`` options (``-c shared_buffers=1GB``)."""
    tmp = Path(tempfile.mkdtemp(prefix="steward-pg-"))
    data = tmp / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(tmp, "nobody")
        tmp.chmod(0o700)
    _run(
        _binary("initdb"),
        "-D",
        str(data),
        "-U",
        "steward",
        "--auth=trust",
        "--encoding=UTF8",
        "--no-sync",
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} "
        "-c fsync=off -c full_page_writes=off "
        "-c synchronous_commit=off -c max_connections=200 " + extra
    )
    _run(
        _binary("pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(tmp / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql://steward@127.0.0.1:{port}/postgres"
    finally:
        _run(_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    """``python -m tests.support.pgserver -- CMD ARGS``: run CMD beside a
    server, with ``DATABASE_URL`` set to it."""
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(
            "usage: python -m tests.support.pgserver -- COMMAND [ARGS]",
            file=sys.stderr,
        )
        return 2
    with running() as url:
        env = dict(os.environ, DATABASE_URL=url, STEWARD_TEST_POSTGRES_URL=url)
        return subprocess.run(argv, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
