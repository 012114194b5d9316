"""Benchmark the event feed (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_feed .venv/bin/python bench/bench_feed.py [--events 10000]

Writes N events over 100 partners (bench data, partners prefixed FEEDBENCH) in batches (events_record_many),
then reads the whole feed through the API in pages of 1,000 with an integration token, as program staff (every
event) and as one partner's admin (her partner's); prints the events read per second, the time per page and the
queries per page.
"""

import argparse
import os
import sys
import time
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


def generate(n: int):
    from core import clock
    from core.events import events_record_many
    from core.models import Event
    from partners.models import Partner

    partners = [
        Partner.objects.get_or_create(
            vendor_partner_id=f"FEEDBENCH{i:03d}", defaults={"legal_name": f"Feed bench {i}"}
        )[0]
        for i in range(100)
    ]
    have = Event.objects.filter(partner__in=partners).count()
    for start in range(have, n, 1000):
        events_record_many(
            [
                Event(kind="partner.updated", summary=f"bench {i}", partner=partners[i % 100], occurred_at=clock.now())
                for i in range(start, min(n, start + 1000))
            ]
        )
    return partners


def read_all(client: Client, token: str) -> tuple[int, int, float, int]:
    events = pages = queries = 0
    cursor = None
    started = time.perf_counter()
    while True:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(
                "/api/v1/events/",
                {"limit": 1000, **({"after": cursor} if cursor else {})},
                HTTP_AUTHORIZATION=f"Token {token}",
            ).json()
        events, pages, queries = events + len(body["results"]), pages + 1, max(queries, len(ctx.captured_queries))
        cursor = body["cursor"]
        if not body["has_more"]:
            return events, pages, time.perf_counter() - started, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from integrations import services
    from tests.factories import make_user

    partners = generate(args.events)
    staff = make_user("staff", username=f"feedbench-staff-{time.time_ns()}")
    admin = make_user("partner_admin", partner=partners[0], username=f"feedbench-admin-{time.time_ns()}")
    client = Client(SERVER_NAME="localhost")
    for who, user in (("staff", staff), ("partner admin", admin)):
        _, token = services.integration_create(actor=user, name="bench", all_partners=who == "staff")
        events, pages, seconds, queries = read_all(client, token)
        print(
            f"{who}: {events} events in {pages} pages, {seconds:.2f} s ({events / seconds:,.0f} events/s, "
            f"{seconds / pages * 1000:.0f} ms a page), at most {queries} queries a page"
        )


if __name__ == "__main__":
    main()
