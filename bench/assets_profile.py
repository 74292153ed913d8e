"""Profile the asset register's list page and API list at scale.

    python -m bench.assets_profile --var /tmp/reg [--database-url URL]

Builds (once: kept in ``--var``) a register of ``--assets`` assets in 20
departments, then for each common filter prints the number of queries, the
slowest query and the in-process time; ``--pyinstrument URL`` prints a
pyinstrument profile of one request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import assets_bench  # noqa: E402


def prepare(var: str, database_url: str | None, assets: int) -> dict:
    """Migrate and seed ``var`` (or the database at ``database_url``) once;
    later calls find the register there and only look the people up."""
    assets_bench._setup_django(var, database_url)
    from steward.accounts.models import User
    from steward.assets.models import Asset

    if Asset.objects.count() < assets:
        assets_bench._seed(assets)
    return {
        "central": User.objects.get(email="central@bench.example"),
        "siro": User.objects.get(email="siro7@bench.example"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", required=True)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--who", default="central")
    parser.add_argument("--pyinstrument", default="")
    args = parser.parse_args()
    people = prepare(args.var, args.database_url, args.assets)
    from django.db import connection

    client = assets_bench._client(people[args.who])
    if args.pyinstrument:
        from pyinstrument import Profiler

        client.get(args.pyinstrument)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.repeat):
            client.get(args.pyinstrument)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
        return
    urls = [f"/assets/?{q}" for _, q in assets_bench.FILTERS] + [
        f"/api/v1/assets?{q}" for _, q in assets_bench.API_FILTERS
    ]
    for url in urls:
        client.get(url)
        queries: list[tuple[float, str]] = []

        def log(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]  # noqa: E501
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - t, sql))

        with connection.execute_wrapper(log):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        slowest = max(queries)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"{url:<50} {len(queries):3} queries, "
            f"median {statistics.median(times):6.1f} ms, slowest query "
            f"{slowest[0] * 1000:.0f} ms: {slowest[1][:150]}"
        )


if __name__ == "__main__":
    main()
