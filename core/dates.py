"""Date arithmetic in one place. Pure: dates in, dates out; no ORM, no clock."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

FISCAL_YEAR_START_MONTH = 8  # the vendor's fiscal year runs August to July


def add_months(day: date, months: int) -> date:
    """Calendar months later (earlier when negative), clamped at month end: 2024-02-29 - 12 months = 2023-02-28."""
    return day + relativedelta(months=months)


def add_years(day: date, years: int) -> date:
    """Calendar years later (earlier when negative); 29 February becomes 28 February in a common year."""
    return day + relativedelta(years=years)


def fiscal_year(day: date) -> int:
    """The fiscal year a date falls in, named by the calendar year it ends in: 2026-08-01 -> 2027."""
    return day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year


def fiscal_year_start(year: int) -> date:
    return date(year - 1, FISCAL_YEAR_START_MONTH, 1)


def fiscal_year_end(year: int) -> date:
    return fiscal_year_start(year + 1) - timedelta(days=1)
