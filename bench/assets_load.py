"""Load test of the asset register's list page and API list, with wrk.

    python -m bench.assets_load                       # SQLite, then PostgreSQL
    python -m bench.assets_load --skip-postgres --seconds 10
    python -m bench.assets_load --var /tmp/reg   # keep the SQLite register

Builds a register of ``--assets`` assets (100,000) across 20 departments
(``bench.assets_bench``), signs ``--users`` people in (one session each:
the central team, who see all of it), and serves it with gunicorn started
exactly as ``steward run`` starts it (``steward.cli.run.gunicorn_command``).
Then wrk (Debian's ``wrk``; ``apt-get install wrk``) keeps ``--users``
connections open, each asking for one common filter, waiting for the
answer, then thinking for 1 to 2 s (wrk's ``delay()``, as locust's
``between(1, 2)``): 50 people using the register at once. Each filter is
run on its own for ``--seconds``, then all of them mixed.

Two figures per run, median and p95 in ms:
- ``client``: what wrk measured from sending the request to the end of the
  answer, so it includes waiting for a free worker;
- ``server``: gunicorn's own time per request (its access log's ``%(D)s``),
  the time a worker spent on it.
``--think 0`` drops the thinking: every connection asks again at once, the
most the server can answer (requests/s) at ``--users`` connections.

The machine's load average (``uptime``) is printed before and after every
run: other work on a shared machine changes these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE = [
    ("page: no filter", "/assets/"),
    ("page: search", "/assets/?q=claims"),
    ("page: organisation", "/assets/?organisation=dept07"),
    ("page: classification", "/assets/?classification=official_sensitive"),
    ("page: PPD", "/assets/?ppd=yes"),
    ("page: offshore", "/assets/?offshore=yes"),
    ("page: country", "/assets/?country=IN"),
    ("page: overdue", "/assets/?overdue=yes"),
    ("page: risk + sort", "/assets/?risk=high&sort=-individuals"),
    ("page: page 40", "/assets/?page=40"),
]
API = [
    ("API: no filter", "/api/v1/assets"),
    ("API: search", "/api/v1/assets?search=claims"),
    ("API: PPD + offshore", "/api/v1/assets?ppd=true&offshore=true"),
    ("API: country", "/api/v1/assets?country=IN"),
    ("API: overdue", "/api/v1/assets?overdue=true"),
    ("API: offset 2000", "/api/v1/assets?offset=2000&limit=50"),
]

LUA = r"""
local urls = %(urls)s
local cookies = %(cookies)s
local lo, hi = %(lo)d, %(hi)d
local n = 0
setup = function(thread)
  n = n + 1
  thread:set("seed", n)
end
init = function(args)
  math.randomseed(seed * 7919)
end
request = function()
  local h = {["Cookie"] = cookies[math.random(#cookies)]}
  return wrk.format("GET", urls[math.random(#urls)], h)
end
delay = function()
  if hi == 0 then return 0 end
  return math.random(lo, hi)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%.1f %%.1f %%.1f\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.duration / 1e6))
end
"""


def _lua_list(items: list[str]) -> str:
    return "{" + ", ".join(json.dumps(i) for i in items) + "}"


def _load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def _cpu_seconds(master: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and
    workers: divided by the requests answered, the cost of one request,
    whatever else the machine is doing."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master in (pid, ppid):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _server_times(log: Path, start: int) -> list[float]:
    """Request times (ms) gunicorn logged after byte ``start``."""
    times = []
    with log.open() as f:
        f.seek(start)
        for line in f:
            m = re.search(r" (\d+)$", line.strip())
            if m and '" 200 ' in line:
                times.append(int(m.group(1)) / 1000)
    return times


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def _wrk(
    base: str, urls: list[str], cookies: list[str], args: argparse.Namespace,
    log: Path, label: str, master: int,
) -> None:  # fmt: skip
    lo, hi = (1000, 2000) if args.think else (0, 0)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        LUA
        % {
            "urls": _lua_list(urls),
            "cookies": _lua_list(cookies),
            "lo": lo,
            "hi": hi,
        }
    )
    before = _load()
    start = log.stat().st_size
    cpu = _cpu_seconds(master)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{args.users}", f"-d{args.seconds}s",
         "--timeout", "30s", "-s", str(script), base],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    script.unlink()
    time.sleep(0.5)  # let the access log catch up
    cpu = _cpu_seconds(master) - cpu
    server = _server_times(log, start)
    m = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if not m:
        print(out)
        raise SystemExit("wrk printed no result")
    n, bad, errors, med, p95, secs = m.groups()
    print(
        f"  {label:<24} {int(n) / float(secs):6.1f}/s "
        f"{float(med):6.0f} {float(p95):6.0f}   "
        f"{statistics.median(server) if server else 0:5.0f} "
        f"{_p95(server) if server else 0:5.0f}   "
        f"cpu/request {cpu * 1000 / max(1, len(server)):4.0f} ms   "
        f"non-200 {bad} errors {errors}   load {before} -> {_load()}"
    )


def child(args: argparse.Namespace) -> None:
    from bench import assets_bench, assets_profile

    var = args.var or tempfile.mkdtemp(prefix="steward-load-")
    people = assets_profile.prepare(var, args.database_url, args.assets)
    from django.db import connection

    from steward.cli.run import gunicorn_command

    cookies = [
        "sessionid="
        + assets_bench._client(people["central"]).cookies["sessionid"].value
        for _ in range(args.users)
    ]
    connection.close()
    port = assets_bench._free_port()
    log = Path(var) / "access.log"
    log.write_text("")
    env = dict(os.environ, STEWARD_ALLOWED_HOSTS="127.0.0.1")
    command = gunicorn_command(
        host="127.0.0.1", port=port, workers=args.workers,
        threads=args.threads,
    )  # fmt: skip
    # The access log's format ends with the request time in µs.
    command = [c for c in command if c not in ("--access-logfile", "-")]
    command += [
        "--access-logfile", str(log),
        "--access-logformat", '%(r)s" %(s)s %(D)s',
    ]  # fmt: skip
    print(
        f"\n{connection.vendor}: {args.assets:,} assets, 20 departments; "
        f"{args.users} connections, think "
        f"{'1-2 s' if args.think else 'none'}, {args.seconds} s per run; "
        f"gunicorn: {' '.join(command[command.index('--workers') :])}"
    )
    print(
        f"  {'request':<24} {'rate':>8} {'client med/p95 ms':>19}"
        f"   {'server med/p95 ms':>17}   cpu/request"
    )
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        for _ in range(150):
            try:
                req = urllib.request.Request(
                    base + "/assets/", headers={"Cookie": cookies[0]}
                )
                with urllib.request.urlopen(req, timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                time.sleep(0.2)
        chosen = [
            (label, url)
            for label, url in PAGE + API
            if not args.only or re.search(args.only, label)
        ]
        if not args.mixed_only:
            for label, url in chosen:
                _wrk(base, [url], cookies, args, log, label, server.pid)
        _wrk(
            base, [u for _, u in chosen], cookies, args, log, "all mixed",
            server.pid,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--think", type=int, default=1, help="1: 1-2 s; 0")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--only", default="", help="regex on the labels")
    parser.add_argument("--mixed-only", action="store_true")
    parser.add_argument("--var", default="", help="keep the data here")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = [sys.executable, str(Path(__file__).resolve()), "--child"] + [
        a
        for a in sys.argv[1:]
        if a not in ("--skip-postgres", "--skip-sqlite")
    ]
    if not args.skip_sqlite:
        subprocess.run(base, check=True)
    if not args.skip_postgres:
        from tests.support import pgserver

        with pgserver.running() as url:
            pg = [a for a in base]
            if args.var:  # the PostgreSQL run keeps its files apart
                i = pg.index("--var")
                pg[i + 1] = args.var + "-pg"
            subprocess.run(pg + ["--database-url", url], check=True)


if __name__ == "__main__":
    main()
