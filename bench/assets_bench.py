"""Benchmark of the information asset register's list page and API list.

A plain script that prints figures (not a test). From the repository root:

    .venv/bin/python -m bench.assets_bench     # SQLite, then PostgreSQL
    .venv/bin/python -m bench.assets_bench --skip-postgres --assets 20000

It builds a register of ``--assets`` assets (100,000 by default) across 20
departments in a fresh database, then times requests in-process through
Django's test client: the server time of each request (middleware, view,
queries, template), with no network. Each figure is the median and p95 of
``--repeat`` requests, as the central team (who sees everything) and as one
department's SIRO (who sees their department's share). Then a
``--import-rows`` XLSX register is checked and imported as the import
page does it (background jobs, progress polled). The same pages under 50
people at once, through gunicorn: ``bench/assets_load.py`` (wrk).

The register is written with ``bulk_create`` after each asset's derived
columns are set by the same function the services use; the services'
one-by-one path (with its history and audit rows) would take far longer to
build 100,000 rows and is not what is measured here.
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

DEPARTMENTS = 20
FILTERS = [
    ("no filter", ""),
    ("search", "q=claims"),
    ("organisation", "organisation=dept07"),
    ("classification", "classification=official_sensitive"),
    ("PPD", "ppd=yes"),
    ("offshore", "offshore=yes"),
    ("country", "country=IN"),
    ("overdue", "overdue=yes"),
    ("risk + sort", "risk=high&sort=-individuals"),
    ("page 40", "page=40"),
]
API_FILTERS = [
    ("no filter", ""),
    ("search", "search=claims"),
    ("PPD + offshore", "ppd=true&offshore=true"),
    ("country", "country=IN"),
    ("overdue", "overdue=true"),
    ("offset 2000", "offset=2000&limit=50"),
]


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
    # Pages are served as in production: hashed static file names.
    call_command("collectstatic", interactive=False, verbosity=0)


def _seed(n: int) -> dict[str, object]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from steward.assets.models import Asset, Location
    from steward.assets.validation import apply_derived
    from steward.organisations import services
    from steward.organisations.access import system_access
    from steward.organisations.models import Kind, Role

    access = system_access("bench")
    root = services.organisation_create(
        access=access, code="gov", name="Government", kind=Kind.CENTRAL,
        parent=None,
    )  # fmt: skip
    central = services.user_create(
        access=access, email="central@bench.example", full_name="Central",
        organisation=root, role=Role.CENTRAL, password="bench passphrase 1",
    )  # fmt: skip
    TOTPDevice.objects.create(user=central, name="b", confirmed=True)
    depts, owners, siro = [], [], None
    for i in range(DEPARTMENTS):
        org = services.organisation_create(
            access=access, code=f"dept{i:02}", name=f"Department {i:02}",
            kind=Kind.DEPARTMENT, parent=root,
        )  # fmt: skip
        agency = services.organisation_create(
            access=access, code=f"agency{i:02}", name=f"Agency {i:02}",
            kind=Kind.AGENCY, parent=org,
        )  # fmt: skip
        iao = services.user_create(
            access=access, email=f"iao{i}@bench.example",
            full_name=f"Owner {i:02}", organisation=org, role=Role.IAO,
            password="bench passphrase 1",
        )  # fmt: skip
        if i == 7:
            siro = services.user_create(
                access=access, email="siro7@bench.example",
                full_name="SIRO 07", organisation=org, role=Role.STAFF,
                password="bench passphrase 1",
            )  # fmt: skip
            services.siro_appoint(access=access, organisation=org, person=siro)
            TOTPDevice.objects.create(user=siro, name="b", confirmed=True)
        depts.append((org, agency))
        owners.append(iao)
    rnd = random.Random(2008)
    words = ["claims", "payments", "records", "register", "cases", "returns",
             "applications", "licences", "accounts", "archive"]  # fmt: skip
    cats = [["identifiers"], ["identifiers", "contact"],
            ["identifiers", "financial"], ["identifiers", "health"],
            ["identifiers", "ni_number", "tax_benefit"]]  # fmt: skip
    countries = ["GB"] * 17 + ["IE", "IN", "US", "FR", "PH"]
    today = dt.date.today()
    started = time.perf_counter()
    batch, locs = [], []
    for k in range(n):
        d = k % DEPARTMENTS
        org = depts[d][k % 3 == 0]
        country = rnd.choice(countries)
        asset = Asset(
            organisation=org,
            reference=f"R-{k:07}",
            name=f"{rnd.choice(words).title()} {rnd.choice(words)} {k}",
            owner=owners[d],
            legal_basis="public_task",
            data_subjects=["citizens"],
            categories=rnd.choice(cats),
            individuals=rnd.choice([10, 500, 999, 1000, 50_000, 2_000_000]),
            records=1000,
            marking=rnd.choice(["official"] * 8 + ["official_sensitive"]),
            encrypted_at_rest=rnd.random() < 0.9,
            backup_medium=rnd.choice(["tape", "disk", "none"]),
            backup_encrypted=rnd.random() < 0.8,
            transfer_mechanism=rnd.choice(["", "idta"]),
            retention="6 years",
            review_due=today + dt.timedelta(days=rnd.randint(-60, 120)),
        )
        apply_derived(asset, [country])
        batch.append(asset)
        locs.append(country)
        if len(batch) == 5000:
            _flush(batch, locs, Asset, Location)
    _flush(batch, locs, Asset, Location)
    # A live database has statistics for its planner; a fresh one has
    # none until autovacuum (PostgreSQL) or ANALYZE (SQLite) runs.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  built {n:,} assets in {time.perf_counter() - started:.1f} s")
    return {"central": central, "siro": siro}


def _flush(batch: list, locs: list, Asset: type, Location: type) -> None:  # noqa: N803
    Asset.objects.bulk_create(batch)
    Location.objects.bulk_create(
        Location(asset=a, system="System", country=c)
        for a, c in zip(batch, locs, strict=True)
    )
    batch.clear()
    locs.clear()


def _client(user: object):  # type: ignore[no-untyped-def]
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _time(client, url: str, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    client.get(url)  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95


def _register_xlsx(rows: int) -> bytes:
    """A department's register of ``rows`` rows as XLSX (the published
    template's example row, numbered)."""
    from openpyxl import Workbook

    from steward.assets import importing

    template = list(importing.rows_of_template())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Register")
    ws.append(template[0])
    example = template[1]
    for i in range(rows):
        row = list(example)
        row[0] = f"IMP-{i:06}"
        row[1] = f"Imported asset {i}"
        row[4] = "iao3@bench.example"
        ws.append(row)
    buf = tempfile.SpooledTemporaryFile()
    wb.save(buf)
    buf.seek(0)
    return buf.read()


def _time_import(rows: int) -> None:
    """A ``rows``-row XLSX register imported as the page does it: a
    background dry run, then the background import, each timed from the
    start of its job to its end, while a second connection polls the
    job's progress record once a second, as the page does."""
    import secrets
    import threading

    from django.db import connection

    from steward.accounts.models import User
    from steward.assets import importing, services
    from steward.assets.models import Asset, ImportJob
    from steward.organisations.access import access_for_user
    from steward.organisations.models import Organisation

    org = Organisation.objects.get(code="dept03")
    data = _register_xlsx(rows)
    token = secrets.token_hex(16)
    importing.upload_path(token, ".xlsx").write_bytes(data)
    headers, _ = importing.read_table(data, "register.xlsx")
    access = access_for_user(User.objects.get(email="central@bench.example"))
    before = Asset.objects.count()
    print(f"  import of a {rows:,}-row XLSX ({len(data) / 1e6:.1f} MB):")
    for dry_run in (True, False):
        job = services.import_start(
            access=access,
            organisation=org,
            filename="register.xlsx",
            token=token,
            suffix=".xlsx",
            mapping=importing.guess_mapping(headers),
            file_digest=importing.file_digest(data),
            dry_run=dry_run,
        )
        seen: list[str] = []
        done = threading.Event()

        def poll(
            pk: int = job.pk,
            seen: list[str] = seen,
            done: threading.Event = done,
        ) -> None:
            t0 = time.perf_counter()
            while not done.wait(1.0):
                j = ImportJob.objects.get(pk=pk)
                seen.append(
                    f"{time.perf_counter() - t0:.0f}s {j.phase} {j.percent}%"
                )
            connection.close()

        watcher = threading.Thread(target=poll)
        t, cpu = time.perf_counter(), time.process_time()
        watcher.start()
        # What the task worker does with the queued job.
        services.run_import.call(job.pk)
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        done.set()
        watcher.join()
        job.refresh_from_db()
        print(
            f"    {'dry run' if dry_run else 'import '} job: {took:5.1f} s "
            f"(CPU {cpu:.1f} s; load {os.getloadavg()[0]:.1f}), "
            f"{job.get_state_display().lower()}, {job.ready:,} ready, "
            f"{job.imported:,} imported; progress seen by a poller: "
            + (", ".join(seen[:: max(1, len(seen) // 8)]) or "none")
        )
    assert Asset.objects.count() == before + rows


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as var:
        _setup_django(var, args.database_url)
        from django.db import connection

        print(f"\n{connection.vendor}: {args.assets:,} assets, "
              f"{DEPARTMENTS} departments")  # fmt: skip
        people = _seed(args.assets)
        for who in ("central", "siro"):
            client = _client(people[who])
            print(f"  list page /assets/ as {who} (ms median / p95)")
            for label, query in FILTERS:
                med, p95 = _time(client, f"/assets/?{query}", args.repeat)
                print(f"    {label:<16} {med:7.1f} {p95:7.1f}")
            print(f"  API /api/v1/assets as {who} (ms median / p95)")
            for label, query in API_FILTERS:
                med, p95 = _time(
                    client, f"/api/v1/assets?{query}", args.repeat
                )
                print(f"    {label:<16} {med:7.1f} {p95:7.1f}")
        if args.import_rows:
            _time_import(args.import_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=50_000)
    from bench._databases import add_arguments, run_on_each_database

    add_arguments(parser)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = [sys.executable, str(Path(__file__).resolve()), "--child",
            "--assets", str(args.assets),
            "--repeat", str(args.repeat),
            "--import-rows", str(args.import_rows)]  # fmt: skip
    run_on_each_database(base, args.skip_postgres)

if __name__ == "__main__":
    main()
