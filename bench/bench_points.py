"""Time the batch computation of every partner's Continuous Learning points (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h3 .venv/bin/python bench/bench_points.py [--runs 3]

Prints the size of the program, the number of queries (constant whatever the size) and the time of
`learning.selectors.points_progress_all`, and of one partner's `points_progress` for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core import clock  # noqa: E402
from learning.models import LearningRecord  # noqa: E402
from learning.selectors import points_progress, points_progress_all  # noqa: E402
from partners.models import Partner  # noqa: E402
from specializations.models import PartnerSpecialization  # noqa: E402


def timed(fn, runs):
    times, result, queries = [], None, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
        queries = len(ctx.captured_queries)
    return result, times, queries


def main(runs: int):
    as_of = clock.today()
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}; as of {as_of}")
    print(
        f"Partners {Partner.objects.count():,}; partner specializations {PartnerSpecialization.objects.count():,}; "
        f"learning records {LearningRecord.objects.count():,}"
    )
    result, times, queries = timed(lambda: points_progress_all(as_of=as_of), runs)
    met = sum(p.met for p in result.values())
    print(
        f"Batch points_progress_all: {len(result):,} progresses ({met:,} met), {queries} queries, "
        f"best {min(times):.2f}s, median {statistics.median(times):.2f}s over {runs} runs"
    )
    partner = Partner.objects.order_by("pk").last()
    one = PartnerSpecialization.objects.filter(partner=partner)
    _, times, queries = timed(lambda: points_progress(partner_specializations=one, as_of=as_of), runs)
    print(f"One partner's points_progress: {queries} queries, best {min(times) * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    main(parser.parse_args().runs)
