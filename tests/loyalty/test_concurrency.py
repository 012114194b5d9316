"""Two redemptions at the same moment for the last credits: exactly one succeeds (real PostgreSQL only)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from loyalty.models import Booking, CreditLot, LedgerEntry, Redemption
from loyalty.services import jobs, redemptions
from tests.loyalty.conftest import on
from tests.loyalty.factories import AccountFactory, BookingFactory, make_lot

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need a real PostgreSQL")


def _race(account, calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, kwargs):
        try:
            barrier.wait(timeout=10)
            results[i] = redemptions.redemption_create(account=account, actor=account.captain, **kwargs)
        except ValidationError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, kw)) for i, kw in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_concurrent_redemptions_for_the_last_credits(transactional_db, django_db_serialized_rollback):
    account = AccountFactory()
    make_lot(account, 30, date(2026, 10, 15))
    make_lot(account, 20, date(2027, 1, 15))
    with on(date(2027, 2, 1)):
        results = _race(account, [dict(kind="ilt", amount=40, description=f"Course {i}") for i in range(2)])
    assert sum(isinstance(r, tuple) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Redemption.objects.count() == 1
    assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == 10


def test_concurrent_retries_with_the_same_idempotency_key_spend_once(transactional_db, django_db_serialized_rollback):
    account = AccountFactory()
    make_lot(account, 100, date(2026, 10, 15))
    with on(date(2027, 2, 1)):
        results = _race(account, [dict(kind="ilt", amount=40, description="Course", idempotency_key="crm-7")] * 2)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(r[1] for r in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == 60


def test_award_job_run_twice_at_once_awards_once(transactional_db, django_db_serialized_rollback):
    accounts = [AccountFactory() for _ in range(3)]
    for account in accounts:
        BookingFactory(account=account, fiscal_year=2026, kind=Booking.PRODUCT, net_amount=Decimal("3000000"))
    jobs.tiers_place(as_of=date(2026, 8, 1))
    barrier = threading.Barrier(2)
    counts = []

    def run():
        try:
            barrier.wait(timeout=10)
            counts.append(jobs.awards_issue(as_of=date(2026, 10, 1)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(counts) == [0, 3]
    assert CreditLot.objects.count() == 3
    assert LedgerEntry.objects.filter(kind=LedgerEntry.AWARD).count() == 3
