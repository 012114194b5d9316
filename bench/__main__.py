"""python -m bench all [--partners 10000 | --quick] [--database-url URL] [--regenerate] [--repeats N]
                     [--connections 50] [--duration S] [--only points,scan,…]

Generates the program (COPY) into a database of its own (created and migrated if missing, reused when it holds
the same size), runs every measure of issue 12 with its floor or ceiling interleaved in the same run, and prints
one table. PostgreSQL only; the read-API load needs wrk. `--quick` (1,000 partners) runs in a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench"
MEASURES = ("points", "scan", "compliance", "ingest", "read_api", "workers")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["all", "generate"])
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1,000 partners, fewer repetitions, shorter loads")
    parser.add_argument("--database-url", help=f"default {DATABASE}, with --quick {DATABASE}_quick")
    parser.add_argument("--redis-url", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--regenerate", action="store_true", help="drop the database and generate again")
    parser.add_argument("--repeats", type=int, help="repetitions of each measure (default 3, quick 2)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections of the read-API load")
    parser.add_argument("--duration", type=int, help="seconds of each load run (default 10, quick 4)")
    parser.add_argument("--only", default=",".join(MEASURES), help="comma-separated subset of " + ", ".join(MEASURES))
    args = parser.parse_args(argv)
    if args.quick:
        args.partners = 1_000
    args.database_url = args.database_url or DATABASE + ("_quick" if args.quick else "")
    args.repeats = args.repeats or (2 if args.quick else 3)
    args.duration = args.duration or (4 if args.quick else 10)
    args.only = [m for m in args.only.split(",") if m]
    unknown = set(args.only) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measures: {', '.join(sorted(unknown))}")
    return args


def _connect(url: str, dbname: str):
    u = urlparse(url)
    conn = psycopg2.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password, dbname=dbname)
    conn.autocommit = True
    return conn


def dataset(url: str) -> dict | None:
    """The size recorded by the last complete generation in that database, if any."""
    with _connect(url, urlparse(url).path.lstrip("/")) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_dataset') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT counts FROM bench_dataset")
        row = cursor.fetchone()
        return row[0] if row else None


def ensure_database(url: str, partners: int, regenerate: bool) -> dict | None:
    """Create the database if missing; drop and create it again for --regenerate or another size. Returns the
    recorded dataset when it can be reused, None when it must be generated."""
    name = urlparse(url).path.lstrip("/")
    server = _connect(url, "postgres")
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        counts = dataset(url) if exists else None
        if counts and counts["partners"] == partners and not regenerate:
            return counts
        if exists:
            print(f"dropping database {name}", flush=True)
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()
    return None


def prepare(partners: int) -> dict:
    """Generate, run the night before (below), and record the size."""
    from django.db import connection  # noqa: I001  (after django.setup(), which main() runs first)

    from bench import data

    started = time.monotonic()
    counts = data.generate(partners)
    night_before()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CREATE TABLE bench_dataset (counts jsonb, generated_at timestamptz DEFAULT now())")
        counts["seconds to generate"] = round(time.monotonic() - started)
        cursor.execute("INSERT INTO bench_dataset (counts) VALUES (%s)", [json.dumps(counts)])
    print(f"  generated and prepared in {counts['seconds to generate']} s", flush=True)
    return counts


def night_before() -> None:
    """The recompute (full) and the scan of the day before AS_OF, committed, by the code being measured: the
    measures start from the state that code leaves (the first time, the first scan ever; later, a replay)."""

    from bench import data, measures
    from renewals.services.scan import daily_scan

    started = time.monotonic()
    day_before = data.AS_OF - timedelta(days=1)
    measures.recompute(as_of=day_before, full=True)
    daily_scan(as_of=day_before)
    vacuum()
    print(f"  the night before (recompute and scan of {day_before}) in {time.monotonic() - started:.0f} s", flush=True)


def vacuum() -> None:
    """The tables as a production night leaves them. The bench's write measures roll back rewrites of all 25,000
    verdicts (with their changes and events) again and again, which no night does (it writes only what changed);
    their dead rows left the verdict table and its portfolio index ten times their size (272 MB and 23 MB instead
    of 28 MB and 2.3 MB), so every read of them paid for the bench's own writes. Those tables are compacted
    (VACUUM FULL), then everything is vacuumed and analysed as autovacuum would (the visibility map current for
    index-only scans)."""
    from django.db import connection  # noqa: I001  (after django.setup())

    from bench.measures import written_by_recompute

    with connection.cursor() as cursor:
        for model, _, _ in written_by_recompute():
            cursor.execute(f'VACUUM FULL "{model._meta.db_table}"')
        cursor.execute("VACUUM ANALYZE")


def machine() -> str:
    from django.db import connection  # noqa: I001  (after django.setup())

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), PostgreSQL {pg}, Python {platform.python_version()}, load average before the run {load}"


def main(argv: list[str]) -> None:
    args = parse(argv)
    started = time.monotonic()
    counts = ensure_database(args.database_url, args.partners, args.regenerate)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("AXES_ENABLED", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")  # Django's test client, in process
    os.environ["CELERY_BROKER_URL"] = args.redis_url  # the workers of the chunked night (bench_workers) use it
    import django

    django.setup()
    from django.core.management import call_command

    from core import notices

    notices._enqueue = lambda ids: None  # measure the jobs; delivering notices is the outbox worker's business
    call_command("migrate", verbosity=0)
    if counts is None:
        print(f"generating {args.partners:,} partners into {args.database_url}", flush=True)
        counts = prepare(args.partners)
    if args.command == "generate":
        return
    # The night before once more (after a generation, its first night's scan moved thousands of credentials to
    # Re-Cert, which their next recompute must catch up with): the measures judge an ordinary next day.
    night_before()
    from bench import measures, table, workers

    host = machine()
    rows: list[table.Row] = []
    for name in args.only:
        t0 = time.monotonic()
        if name == "read_api":
            vacuum()  # the measures before it rolled back rewrites of every verdict
            rows += measures.read_api(
                database_url=args.database_url,
                redis_url=args.redis_url,
                connections=args.connections,
                duration=args.duration,
                repeats=args.repeats,
            )
        elif name == "workers":
            rows += workers.measure(args.partners, args.repeats)
        else:
            rows += getattr(measures, name)(args.repeats)
        print(f"  {name}: {time.monotonic() - t0:.0f} s", flush=True)
    print()
    print(
        f"{datetime.now(UTC):%Y-%m-%d}, {host}; {counts['partners']:,} partners, {counts['credentials']:,} credentials "
        f"({counts['active credentials']:,} active), {counts['learning records']:,} learning records, "
        f"{counts['CSAT responses']:,} CSAT responses; median of {args.repeats} interleaved repetitions; "
        f"{args.connections} connections × {args.duration} s a load run; whole run {time.monotonic() - started:.0f} s."
    )
    print()
    print(table.render(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
