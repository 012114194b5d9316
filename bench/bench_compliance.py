"""The compliance verdicts at scale, night by night (not part of the test suite; `python -m bench all` has the table).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/bench_compliance.py \
        [--partners 10000] [--nights 5]

On the harness's program (bench/data.py, generated if no bench partner is there), times the full recompute (first
run: every verdict created; then again: nothing to write), --nights incremental nights (the nightly path, with the
verdict table's size after each), the floor (COPY + upsert of the same verdict rows), the portfolio page, its CSV
export and the portfolio API, printing the number of queries of each. It leaves the verdicts of its last night.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import data  # noqa: E402

AS_OF = data.AS_OF


def generate(n: int) -> None:
    """The harness's program (bench/data.py), unless bench partners are already there."""
    from partners.models import Partner  # noqa: I001  (after django.setup())

    have = Partner.objects.filter(vendor_partner_id__startswith=data.PREFIX).count()
    if have:
        print(f"{have} bench partners already present")
        return
    data.generate(n)


def verdict_table_size() -> str:
    """The verdict table's size with its indexes and TOAST (PostgreSQL), e.g. '31 MB'."""
    if connection.vendor != "postgresql":
        return "?"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('compliance_credentialverdict'))")
        return cursor.fetchone()[0]


def timed(label, fn, repeat=1):
    best, queries, result = None, None, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        queries = len(ctx)
    print(f"{label:<52} {best * 1000:9.0f} ms  {queries:6d} queries")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--nights", type=int, default=5, help="incremental nights walked after the first run")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    generate(args.partners)
    from compliance.models import CredentialVerdict, VerdictChange
    from compliance.services.recompute import verdicts_recompute, verdicts_refresh
    from core.bulk import copy_upsert
    from core.models import Event
    from tests.factories import make_user

    if connection.vendor == "postgresql":  # start from empty tables, so the sizes below are the verdicts' own
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE compliance_credentialverdict, compliance_verdictchange")
            cursor.execute("DELETE FROM compliance_event WHERE kind = 'compliance.verdict_changed'")
    CredentialVerdict.objects.all().delete()
    VerdictChange.objects.all().delete()
    size = verdict_table_size()
    first = timed(
        "recompute, first run (full: every verdict created)", lambda: verdicts_refresh(as_of=AS_OF, full=True)
    )
    print(f"  {first}; verdict table {size} -> {verdict_table_size()}")
    timed("full recompute again, same day (nothing changed)", lambda: verdicts_refresh(as_of=AS_OF, full=True))
    for night in range(1, args.nights + 1):
        summary = timed(
            f"nightly recompute, day +{night} (incremental)",
            lambda night=night: verdicts_refresh(as_of=AS_OF + timedelta(days=night)),
        )
        print(f"  {summary}; verdict table {verdict_table_size()}")
    timed(
        "recompute one partner",
        lambda: verdicts_recompute(
            partner_ids=[CredentialVerdict.objects.values_list("partner_id", flat=True).first()],
            as_of=AS_OF + timedelta(days=args.nights),
        ),
        repeat=3,
    )
    # The floor: the same rows (verdicts, status changes, their events) written by COPY + INSERT ... ON CONFLICT.
    tables = [
        (CredentialVerdict, ["credential_type", "credential_id"], CredentialVerdict.objects.all()),
        (VerdictChange, ["credential_type", "credential_id", "as_of"], VerdictChange.objects.all()),
        (Event, ["dedupe_key"], Event.objects.filter(kind="compliance.verdict_changed")),
    ]
    saved = []
    for model, conflict, qs in tables:
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        saved.append((model, conflict, columns, list(qs.values(*columns))))
        qs.delete()

    def floor():
        for model, conflict, columns, rows in saved:
            copy_upsert(model, rows, conflict=conflict, update=[c for c in columns if c not in conflict] or None)

    timed(f"floor: COPY + upsert of the same rows ({', '.join(str(len(r[3])) for r in saved)})", floor)
    print(
        f"credentials: {first['verdicts']}; not compliant: {CredentialVerdict.objects.filter(compliant=False).count()}; "
        f"at risk: {CredentialVerdict.objects.filter(at_risk=True).count()}"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_user("staff", username="bench-staff"))

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            return sum(len(chunk) for chunk in response.streaming_content)
        return len(response.content)

    timed("portfolio page (staff, all partners, page 1)", lambda: get("/compliance/portfolio/"), repeat=3)
    timed(
        "portfolio page filtered (tier=Gold, at_risk, sorted)",
        lambda: get("/compliance/portfolio/?tier=gold&at_risk=true&sort=-anniversary"),
        repeat=3,
    )
    size = timed("portfolio CSV export (every credential)", lambda: get("/compliance/portfolio/?export=csv"))
    print(f"  CSV size {size / 1024:.0f} KiB")
    timed("portfolio API (page of 50)", lambda: get("/api/v1/portfolio/"), repeat=3)
    partner_id = CredentialVerdict.objects.values_list("partner_id", flat=True).first()
    timed("verdicts API for one partner (live)", lambda: get(f"/api/v1/verdicts/?partner={partner_id}"), repeat=3)


if __name__ == "__main__":
    main()
