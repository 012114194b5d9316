"""The periodic jobs and the command that runs them for a date."""
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from config.celery import app
from loyalty import tasks
from loyalty.models import Booking, CreditLot, LedgerEntry, TierPlacement
from tests.loyalty.conftest import on
from tests.loyalty.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_jobs_are_scheduled_daily():
    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"loyalty.place_tiers", "loyalty.expire_lots", "loyalty.issue_awards",
            "loyalty.warn_expiring"} <= tasks_scheduled


def test_a_year_of_runs_places_awards_and_expires(account):
    for fy in (2024, 2025, 2026, 2027):
        BookingFactory(account=account, fiscal_year=fy, kind=Booking.SERVICE, net_amount=Decimal("1200000"))
    out = StringIO()
    days = [date(y, m, d) for y, m in [(2026, m) for m in range(8, 13)] + [(2027, m) for m in range(1, 11)]
            for d in (1, 1, 2, 16)]  # the first of the month twice: a repeated run changes nothing
    for day in days:
        call_command("loyalty_run", as_of=day, stdout=out)
    assert set(TierPlacement.objects.values_list("fiscal_year", "tier__name")) == {(2027, "Tier 2"), (2028, "Tier 2")}
    assert list(CreditLot.objects.values_list("issued_on", flat=True)) == [
        date(2026, 10, 1), date(2027, 1, 1), date(2027, 4, 1), date(2027, 7, 1), date(2027, 10, 1)]
    expired = LedgerEntry.objects.filter(kind=LedgerEntry.EXPIRY).values_list("occurred_on", "amount")
    assert list(expired) == [(date(2027, 10, 2), -75)]
    assert "Loyalty jobs as of 2027-10-16" in out.getvalue()


def test_tasks_use_todays_date(account):
    BookingFactory(account=account, fiscal_year=2026, net_amount=Decimal("3000000"))
    with on(date(2026, 10, 5)):
        assert tasks.place_tiers.delay().get() == 1
        assert tasks.issue_awards.delay().get() == 1
        assert tasks.issue_awards.delay().get() == 0
        assert tasks.expire_lots.delay().get() == 0
        assert tasks.warn_expiring.delay().get() == 0
