"""Benchmark of the automated checks (``steward.controls.checks``).

A plain script that prints figures (not a test). From the repository root:

    .venv/bin/python -m bench.checks_bench       # SQLite, then PostgreSQL
    .venv/bin/python -m bench.checks_bench --skip-postgres --assets 50000

It loads the demo government (``steward.demo.load``: its organisations,
people, assets, procedures, scans and incidents) into a fresh database,
then scales its register with ``bulk_create`` until HMRC's subtree holds
``--department`` assets (10,000 by default) and the whole government
``--assets`` (200,000 by default), spread over every department, agency,
arm's-length body and contractor. Then it times, in-process:

- every registered check for HMRC, as HMRC's SIRO (target: under 2 s);
- every registered check for the whole government at its root, as the
  central team, and every registered check for each of the government's
  organisations one after another, as an assessment round would run them
  (target: under 30 s);

and prints the SQL queries each check ran, which must not depend on the
number of assets (``tests/controls/test_check_queries.py`` asserts it).

Each figure is the median and the slowest of ``--repeat`` runs. The
machine's load average is printed before and after: on a shared machine
the figures are only as good as the load allows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, not with -m
    sys.path.insert(0, str(ROOT))

DEPARTMENT = "hmrc"
DERIVED = ("is_ppd", "classification", "offshore", "transfer_ok", "risk")
DEPARTMENT_TARGET_S = 2.0
GOVERNMENT_TARGET_S = 30.0


def _setup_django(var: str, database_url: str | None) -> None:
    os.environ["STEWARD_VAR"] = var
    os.environ.setdefault("STEWARD_SECRET_KEY", "bench-only-secret-key")
    os.environ["STEWARD_ALLOWED_HOSTS"] = "testserver"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "steward.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} (1 min)"


def _seed(department_assets: int, total_assets: int) -> None:
    """The demo government, then its register scaled up with bulk_create
    (each asset's derived columns set by the services' own function)."""
    from steward import demo
    from steward.accounts.models import User
    from steward.assets.models import Asset, Location
    from steward.assets.validation import apply_derived
    from steward.organisations.models import Kind, Organisation

    started = time.perf_counter()
    demo.load()
    print(f"  demo government loaded in {time.perf_counter() - started:.1f} s")
    dept = Organisation.objects.get(code=DEPARTMENT)
    bodies = list(
        Organisation.objects.exclude(
            kind__in=[Kind.CENTRAL, Kind.REGULATOR]
        ).order_by("path")
    )
    in_dept = [o for o in bodies if o.path.startswith(dept.path)]
    elsewhere = [o for o in bodies if not o.path.startswith(dept.path)]
    # Each organisation's assets are owned by its department's IAO.
    owners: dict[int, User] = {}
    for org in bodies:
        top = org.department() or org
        owners[org.pk] = User.objects.get(
            email=f"iao.{top.code}@{demo.DEMO_DOMAIN}"
        )
    have_dept = Asset.objects.filter(organisation__in=in_dept).count()
    have_all = Asset.objects.count()
    plan = [(in_dept, max(0, department_assets - have_dept))]
    plan.append(
        (
            elsewhere,
            max(0, total_assets - have_all - plan[0][1]),
        )
    )
    rnd = random.Random(2008)
    words = ["claims", "payments", "records", "register", "cases", "returns",
             "applications", "licences", "accounts", "archive"]  # fmt: skip
    cats = [["identifiers"], ["identifiers", "contact"],
            ["identifiers", "financial"], ["identifiers", "health"],
            ["identifiers", "ni_number", "tax_benefit"]]  # fmt: skip
    countries = ["GB"] * 17 + ["IE", "IN", "US", "FR", "PH"]
    today = dt.date.today()
    started = time.perf_counter()
    batch: list[Asset] = []
    derived: dict[tuple, list] = {}
    locs: list[str] = []
    k = 0
    for orgs, count in plan:
        for _ in range(count):
            org = orgs[k % len(orgs)]
            country = rnd.choice(countries)
            asset = Asset(
                organisation=org,
                reference=f"B-{k:07}",
                name=f"{rnd.choice(words).title()} {rnd.choice(words)} {k}",
                owner=owners[org.pk],
                legal_basis="public_task",
                data_subjects=["citizens"],
                categories=rnd.choice(cats),
                individuals=rnd.choice([10, 500, 999, 1000, 50_000]),
                records=1000,
                marking=rnd.choice(["official"] * 8 + ["official_sensitive"]),
                encrypted_at_rest=rnd.random() < 0.9,
                backup_medium=rnd.choice(["tape", "disk", "none"]),
                backup_encrypted=rnd.random() < 0.8,
                transfer_mechanism=rnd.choice(["", "idta"]),
                retention="6 years",
                review_due=today + dt.timedelta(days=rnd.randint(-60, 120)),
            )
            # The derived columns depend only on these facts: work them
            # out once per combination with the services' own function.
            key = (
                tuple(asset.categories), asset.individuals, asset.marking,
                asset.encrypted_at_rest, asset.backup_medium,
                asset.backup_encrypted, asset.transfer_mechanism, country,
            )  # fmt: skip
            if key not in derived:
                apply_derived(asset, [country])
                derived[key] = [getattr(asset, f) for f in DERIVED]
            for f, v in zip(DERIVED, derived[key], strict=True):
                setattr(asset, f, v)
            batch.append(asset)
            locs.append(country)
            k += 1
            if len(batch) == 5000:
                _flush(batch, locs, Asset, Location)
    _flush(batch, locs, Asset, Location)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  scaled the register by {k:,} assets in "
        f"{time.perf_counter() - started:.1f} s: "
        f"{Asset.objects.filter(organisation__in=in_dept).count():,} in "
        f"{DEPARTMENT}'s subtree, {Asset.objects.count():,} in all, "
        f"{len(bodies)} organisations"
    )


def _flush(batch: list, locs: list, Asset: type, Location: type) -> None:  # noqa: N803
    Asset.objects.bulk_create(batch)
    Location.objects.bulk_create(
        Location(asset=a, system="System", country=c)
        for a, c in zip(batch, locs, strict=True)
    )
    batch.clear()
    locs.clear()


def _run_all(access, organisations) -> None:  # type: ignore[no-untyped-def]
    from steward.controls.checks import REGISTRY, run_check

    for organisation in organisations:
        for name in REGISTRY:
            run_check(name, access=access, organisation=organisation)


def _time(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def _verdict(seconds: float, target: float) -> str:
    return "meets" if seconds < target else "MISSES"


def _per_check(who: str, access, organisation) -> None:  # type: ignore[no-untyped-def]
    """Each check once: its time, its SQL queries and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from steward.controls.checks import REGISTRY, run_check

    print(f"  {len(REGISTRY)} checks for {who} "
          "(ms, SQL queries, outcome failing/applicable):")  # fmt: skip
    for name in REGISTRY:
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            result = run_check(name, access=access, organisation=organisation)
            ms = (time.perf_counter() - t) * 1000
        figures = f"{result.failing}/{result.applicable}"
        print(f"    {name:<32} {ms:7.1f} {len(queries):3} "
              f"{result.outcome} ({figures})")  # fmt: skip


def child(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as var:
        _setup_django(var, args.database_url)
        from django.db import connection

        from steward import demo
        from steward.accounts.models import User
        from steward.organisations.access import access_for_user
        from steward.organisations.models import Kind, Organisation

        print(f"\n{connection.vendor}: {_load()}")
        _seed(args.department, args.assets)
        dept = Organisation.objects.get(code=DEPARTMENT)
        siro = access_for_user(
            User.objects.get(email=f"siro.{DEPARTMENT}@{demo.DEMO_DOMAIN}")
        )
        central = access_for_user(
            User.objects.get(email=f"central@{demo.DEMO_DOMAIN}")
        )
        root = Organisation.objects.get(kind=Kind.CENTRAL)
        every = list(
            Organisation.objects.exclude(
                kind__in=[Kind.CENTRAL, Kind.REGULATOR]
            ).order_by("path")
        )
        _run_all(siro, [dept])  # warm
        for who, access, org in (
            (DEPARTMENT, siro, dept),
            ("the whole government", central, root),
        ):
            _per_check(who, access, org)
        med, worst = _time(lambda: _run_all(siro, [dept]), args.repeat)
        verdict = _verdict(worst, DEPARTMENT_TARGET_S)
        print(f"  every check for {DEPARTMENT} as its SIRO: median "
              f"{med:.3f} s, slowest {worst:.3f} s (target < "
              f"{DEPARTMENT_TARGET_S:.0f} s: {verdict})")  # fmt: skip
        med, worst = _time(lambda: _run_all(central, [root]), args.repeat)
        print(f"  every check for the whole government at its root, as "
              f"central: median {med:.3f} s, slowest {worst:.3f} s "
              f"(target < {GOVERNMENT_TARGET_S:.0f} s: "
              f"{_verdict(worst, GOVERNMENT_TARGET_S)})")  # fmt: skip
        med, worst = _time(
            lambda: _run_all(central, every), max(1, args.repeat // 3)
        )
        print(f"  every check for each of the {len(every)} organisations, "
              f"as central: median {med:.3f} s, slowest {worst:.3f} s "
              f"(target < {GOVERNMENT_TARGET_S:.0f} s: "
              f"{_verdict(worst, GOVERNMENT_TARGET_S)})")  # fmt: skip
        print(f"  {_load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=200_000)
    parser.add_argument("--department", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    from bench._databases import add_arguments, run_on_each_database

    add_arguments(parser)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = [sys.executable, str(Path(__file__).resolve()), "--child",
            "--assets", str(args.assets),
            "--department", str(args.department),
            "--repeat", str(args.repeat)]  # fmt: skip
    run_on_each_database(base, args.skip_postgres)

if __name__ == "__main__":
    main()
