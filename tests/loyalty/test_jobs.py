"""The periodic jobs and the command that runs them for a date."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from config.tasks import daily_run
from loyalty.models import Booking, CreditLot, LedgerEntry, TierPlacement
from tests.loyalty.conftest import on
from tests.loyalty.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_a_year_of_runs_places_awards_and_expires(account):
    for fy in (2024, 2025, 2026, 2027):
        BookingFactory(account=account, fiscal_year=fy, kind=Booking.SERVICE, net_amount=Decimal("1200000"))
    out = StringIO()
    days = [
        date(y, m, d)
        for y, m in [(2026, m) for m in range(8, 13)] + [(2027, m) for m in range(1, 11)]
        for d in (1, 1, 2, 16)
    ]  # the first of the month twice: a repeated run changes nothing
    for day in days:
        call_command("run_daily", as_of=day.isoformat(), no_recompute=True, stdout=out)
    assert set(TierPlacement.objects.values_list("fiscal_year", "tier__name")) == {(2027, "Tier 2"), (2028, "Tier 2")}
    assert list(CreditLot.objects.values_list("issued_on", flat=True)) == [
        date(2026, 10, 1),
        date(2027, 1, 1),
        date(2027, 4, 1),
        date(2027, 7, 1),
        date(2027, 10, 1),
    ]
    expired = LedgerEntry.objects.filter(kind=LedgerEntry.EXPIRY).values_list("occurred_on", "amount")
    assert list(expired) == [(date(2027, 10, 2), -75)]
    assert "placed=0, expired=0, awarded=0, warned=0" in out.getvalue().splitlines()[-1]


def test_the_daily_task_uses_todays_date(account):
    BookingFactory(account=account, fiscal_year=2026, net_amount=Decimal("3000000"))
    with on(date(2026, 10, 5)):
        first = daily_run.delay().get()
        again = daily_run.delay().get()
    assert (first["placed"], first["awarded"], first["expired"], first["warned"]) == (1, 1, 0, 0)
    assert (again["placed"], again["awarded"]) == (0, 0)
