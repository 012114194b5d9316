"""Webhooks under load (not part of the test suite): events written per second while a webhook worker delivers
them to a local receiver, and the delay from each change to its delivery.

    createdb -h 127.0.0.1 -U postgres portal_bench_webhooks
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_webhooks CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/bench_webhooks.py [--events 10000] [--concurrency 2] [--rate 10]

Migrates the database, starts a receiver on 127.0.0.1 (answers 200 at once), one endpoint for a partner, and a
real Celery worker with its embedded beat (the `sweep-webhooks` entry of config/celery.py: fan-out and queueing
every 2 s). Then records N events, one transaction each as services do, first with no endpoint (the baseline) and
then with the worker delivering; prints events/s of both, the time until the last delivery, and the delay from an
event's `occurred_at` to its arrival at the receiver (p50, p95, max). `--rate` paces the writes (events a
second) to measure the delay when deliveries keep up rather than the backlog of a burst.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("WEBHOOKS_ALLOW_LOOPBACK", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from core import clock  # noqa: E402
from core.events import event_record  # noqa: E402
from partners import access  # noqa: E402
from partners.models import Partner  # noqa: E402
from webhooks import services  # noqa: E402
from webhooks.models import Delivery, Endpoint  # noqa: E402

ARRIVALS: dict[int, float] = {}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        data = json.loads(body)["data"]
        if "id" in data:
            ARRIVALS.setdefault(data["id"], time.time())
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def write(partner: Partner, n: int, label: str, rate: float = 0) -> tuple[float, dict[int, float]]:
    """Record n events as fast as possible, or `rate` a second; returns events/s and {id: occurred_at}."""
    written: dict[int, float] = {}
    started = time.perf_counter()
    for i in range(n):
        if rate:
            time.sleep(max(0.0, started + i / rate - time.perf_counter()))
        event, _ = event_record(kind="partner.updated", summary=f"{label} change {i}", partner=partner)
        written[event.pk] = event.occurred_at.timestamp()
    return n / (time.perf_counter() - started), written


def main(n: int, concurrency: int, rate: float) -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL (DATABASE_URL) with Redis (CELERY_BROKER_URL).")
    call_command("migrate", verbosity=0)
    Endpoint.objects.all().delete()
    partner, _ = Partner.objects.get_or_create(
        vendor_partner_id="BENCH-WEBHOOKS",
        defaults={"legal_name": "Webhook Bench Ltd", "is_registered": True, "registered_on": date(2014, 1, 1)},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"

    baseline, _ = write(partner, n, "baseline", rate)
    services.endpoint_create(url=url, partner=partner, kinds=["partner.updated"], actor=access.SYSTEM)
    schedule = Path(tempfile.mkdtemp()) / "beat-schedule"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--schedule", str(schedule),
         "--loglevel", "WARNING", "--concurrency", str(concurrency), "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=os.environ.copy(),
    )  # fmt: skip
    try:
        time.sleep(8)  # the worker and its beat are up
        speed, written = write(partner, n, "delivered", rate)
        wrote_at = time.time()
        deadline = time.time() + 600
        while len(ARRIVALS.keys() & written.keys()) < n and time.time() < deadline:
            time.sleep(0.2)
        drained = time.time() - wrote_at
    finally:
        worker.terminate()
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.shutdown()
    delays = sorted(ARRIVALS[pk] - at for pk, at in written.items() if pk in ARRIVALS)
    got = len(delays)
    attempts = Delivery.objects.filter(event_id__in=written).values_list("attempts", flat=True)
    print(
        f"PostgreSQL {connection.settings_dict['NAME']}; {n:,} events; worker concurrency {concurrency}; {clock.now():%Y-%m-%d}"
    )
    print(f"Events written per second, no endpoint: {baseline:,.0f}; while the worker delivers: {speed:,.0f}")
    print(f"Delivered {got:,}/{n:,} ({sum(attempts):,} attempts), the last {drained:.1f} s after the last write")
    if got:
        p95 = delays[min(got - 1, int(got * 0.95))]
        print(
            f"Delay change -> delivery: p50 {statistics.median(delays):.2f} s, p95 {p95:.2f} s, max {delays[-1]:.2f} s"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0, help="events a second (default: as fast as possible)")
    args = parser.parse_args()
    main(args.events, args.concurrency, args.rate)
