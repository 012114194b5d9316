"""Loyalty jobs at scale: placement, awards, expiry, warnings and the account list for N accounts.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/loyalty_jobs.py [N]

Builds a throw-away test database (SQLite, or PostgreSQL from DATABASE_URL), prints seconds and queries.
Notices are written to the outbox but not delivered.
"""

import logging
import os
import sys
import time
from collections import deque
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def timed(label, fn):
    connection.queries_log = deque(maxlen=10**6)
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds:7.2f} s  {len(ctx.captured_queries):6d} queries  -> {result}")


def main(n):
    from django.contrib.auth import get_user_model

    from core import notices

    notices._enqueue = lambda ids: None  # measure the jobs; notice delivery is the outbox's business

    from loyalty import selectors
    from loyalty.models import Booking, CustomerAccount
    from loyalty.services import jobs
    from partners.models import Profile

    User = get_user_model()
    staff = User.objects.create(username="bench-staff", is_staff=True)
    captains = User.objects.bulk_create([User(username=f"cap{i}", email=f"cap{i}@example.com") for i in range(n)])
    Profile.objects.bulk_create(
        [Profile(user=u, role="customer", vendor_login_id=f"cco{i}") for i, u in enumerate(captains)]
    )
    accounts = CustomerAccount.objects.bulk_create(
        [
            CustomerAccount(
                name=f"Customer {i}",
                customer_number=f"B{i:06d}",
                captain=captains[i],
                terms_accepted_on=date(2025, 1, 10),
                terms_accepted_by=captains[i],
            )
            for i in range(n)
        ]
    )
    Booking.objects.bulk_create(
        [
            Booking(account=a, fiscal_year=fy, kind=Booking.PRODUCT, net_amount=Decimal(250000 * (1 + i % 80)))
            for i, a in enumerate(accounts)
            for fy in (2024, 2025, 2026)
        ]
    )
    timed(f"place tiers ({n} accounts)", lambda: jobs.tiers_place(as_of=date(2026, 8, 1)))
    for day in (date(2026, 10, 1), date(2027, 1, 1), date(2027, 4, 1), date(2027, 7, 1)):
        timed(f"issue awards {day}", lambda day=day: jobs.awards_issue(as_of=day))
    timed("expiry warnings 2027-08-02", lambda: jobs.expiry_warnings_send(as_of=date(2027, 8, 2)))
    timed("expire lots 2027-10-02", lambda: jobs.lots_expire(as_of=date(2027, 10, 2)))
    timed(
        "account list, first page of 25",
        lambda: len(list(selectors.account_list(user=staff, as_of=date(2027, 9, 1))[:25])),
    )


if __name__ == "__main__":
    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
