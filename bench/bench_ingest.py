"""Bulk ingest through the API against its floor, a COPY of the same rows (not part of the test suite).

    .venv/bin/python -m bench generate --quick        # the data (bench/data.py), in portal_bench_quick
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_quick .venv/bin/python bench/bench_ingest.py [--records 10000] [--runs 5] [--url http://127.0.0.1:8000]

Each run posts `--records` new, valid records for one bench partner in one request to
`POST /api/v1/learning-records/bulk/` (in process with Django's test client, or over HTTP to `--url`
with a token), then COPYs the same rows into the ledger table: interleaved, so both see the same
machine. The rows of both are deleted after each measure. Prints records/s of each, the ratio of the
medians and the size of the answer.

In production the partner's recompute that a saved batch asks for runs later in a worker (`core.recompute`: a task on
the broker). The bench's test settings run tasks eagerly, which would put that recompute inside the measured request:
in process the measure records the task instead of running it (`queued`), as a broker would take it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")  # no query log: measure what production runs

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from core import clock  # noqa: E402
from core.models import PendingRecompute  # noqa: E402
from learning.models import KnowledgeSession, LearningRecord  # noqa: E402
from partners.models import Association, Partner  # noqa: E402

BULK = "/api/v1/learning-records/bulk/"
PREFIX = "ingest:"
COLUMNS = ["partner_id", "individual_id", "session_id", "occurred_on", "how", "client_record_id", "reason", "source"]
USER = "bench-ingest"  # who posts: the API records her on every row (recorded_by), and so does the floor


def bench_partner() -> tuple[Partner, dict[str, int], list[tuple[str, int, bool]]]:
    """A generated bench partner, its people {testing number: id} and the bench sessions (code, id, assessed)."""
    partner = Partner.objects.filter(vendor_partner_id__startswith="BENCH").order_by("pk").first()
    if partner is None:
        sys.exit("No bench partner: run python -m bench generate first.")
    people = dict(
        Association.objects.filter(partner=partner).values_list("individual__testing_number", "individual_id")
    )
    sessions = list(
        KnowledgeSession.objects.filter(code__startswith="BENCH").values_list("code", "pk", "via_assessment")
    )
    return partner, people, sessions


def records(run: int, n: int, people: dict[str, int], sessions: list, seed: int = 11) -> list[dict]:
    """`n` valid records with new client ids (viewed, downloaded, or a passed assessment where there is one)."""
    rng, today, numbers = random.Random(seed + run), clock.today(), sorted(people)
    rows = []
    for i in range(n):
        code, _, assessed = rng.choice(sessions)
        rows.append(
            {
                "client_record_id": f"{PREFIX}{run}:{i}",
                "testing_number": rng.choice(numbers),
                "session_code": code,
                "occurred_on": (today - timedelta(days=rng.randrange(500))).isoformat(),
                "how": rng.choice(["viewed", "viewed", "downloaded", "assessment_passed" if assessed else "viewed"]),
            }
        )
    return rows


def cleanup(partner: Partner) -> None:
    """Delete the measured rows (and the recompute they asked for), and vacuum so that the next measure finds the
    table as before."""
    LearningRecord.objects.filter(partner=partner, client_record_id__startswith=PREFIX).delete()
    PendingRecompute.objects.filter(partner=partner).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {LearningRecord._meta.db_table}")


def post_api(rows: list[dict], partner: Partner, poster) -> tuple[float, int]:
    body = json.dumps({"partner": partner.pk, "records": rows})
    started = time.perf_counter()
    status, created, size = poster(body)
    elapsed = time.perf_counter() - started
    if status != 201 or created != len(rows):
        sys.exit(f"The API answered {status} with {created} created of {len(rows)}.")
    return elapsed, size


def copy_floor(rows: list[dict], partner: Partner, people: dict[str, int], sessions: list) -> float:
    """COPY the same rows (ids already resolved, the same recorder) into the ledger and commit: what the database
    alone costs."""
    session_ids, now, user = {code: pk for code, pk, _ in sessions}, clock.now(), bench_user().pk
    buf = io.StringIO()
    for r in rows:
        values = [partner.pk, people[r["testing_number"]], session_ids[r["session_code"]], r["occurred_on"], r["how"]]
        buf.write("\t".join(map(str, [*values, r["client_record_id"], "", "bench", now, user])) + "\n")
    started = time.perf_counter()
    buf.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        table = LearningRecord._meta.db_table
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join([*COLUMNS, 'recorded_at', 'recorded_by_id'])}) FROM STDIN", buf
        )
    return time.perf_counter() - started


def bench_user():
    return get_user_model().objects.get_or_create(username=USER, defaults={"is_staff": True})[0]


@contextmanager
def queued():
    """Recompute tasks are recorded, not run: what a broker does with them (see the module's docstring)."""
    with mock.patch("core.recompute.recompute_enqueue") as enqueue:
        yield enqueue


def test_client_poster():
    user = bench_user()
    client = Client()
    client.force_login(user)

    def post(body: str) -> tuple[int, int, int]:
        with queued():
            response = client.post(BULK, body, content_type="application/json")
        return response.status_code, response.json().get("created", 0), len(response.content)

    return post


def http_poster(url: str):
    user = bench_user()
    _, token = AuthToken.objects.create(user)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def post(body: str) -> tuple[int, int, int]:
        request = urllib.request.Request(url.rstrip("/") + BULK, data=body.encode(), headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (the URL is the caller's)
            content = response.read()
            return response.status, json.loads(content).get("created", 0), len(content)

    return post


def main(n: int, runs: int, url: str | None) -> dict:
    if connection.vendor != "postgresql":
        sys.exit("The floor is a PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database.")
    partner, people, sessions = bench_partner()
    poster = http_poster(url) if url else test_client_poster()
    print(
        f"Database {connection.settings_dict['NAME']}: {LearningRecord.objects.count():,} learning records; "
        f"{n:,} records a request, {runs} runs, {'HTTP ' + url if url else 'in process (test client)'}"
    )
    cleanup(partner)
    ours, floor, size = [], [], 0
    post_api(records(-1, min(n, 200), people, sessions), partner, poster)  # warm up (imports, caches)
    cleanup(partner)
    for run in range(runs):
        rows = records(run, n, people, sessions)
        elapsed, size = post_api(rows, partner, poster)
        ours.append(elapsed)
        cleanup(partner)
        floor.append(copy_floor(rows, partner, people, sessions))
        cleanup(partner)
        print(f"  run {run + 1}: API {n / elapsed:,.0f} records/s, COPY {n / floor[-1]:,.0f} records/s")
    api_s, copy_s = statistics.median(ours), statistics.median(floor)
    result = {
        "records": n,
        "api_per_s": n / api_s,
        "copy_per_s": n / copy_s,
        "ratio": api_s / copy_s,
        "best_ratio": min(ours) / min(floor),
        "answer_bytes": size,
    }
    print(
        f"Median: API {result['api_per_s']:,.0f} records/s, COPY {result['copy_per_s']:,.0f} records/s, "
        f"ratio {result['ratio']:.2f}x (best of each: {n / min(ours):,.0f} and {n / min(floor):,.0f} records/s, "
        f"{result['best_ratio']:.2f}x); answer {size:,} bytes"
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="post over HTTP to this server (e.g. gunicorn) instead of in process")
    args = parser.parse_args()
    main(args.records, args.runs, args.url)
