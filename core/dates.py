"""Date arithmetic in one place. Pure: dates in, dates out; no ORM, no clock."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

FISCAL_YEAR_START_MONTH = 8  # the vendor's fiscal year runs August to July

# The dates a caller may ask about (`as_of` in the API, on pages and in `run_daily --as-of`): wide enough for
# any history or plan, narrow enough that date arithmetic years ahead or back never leaves Python's range.
AS_OF_MIN = date(1990, 1, 1)
AS_OF_MAX = date(2100, 12, 31)
AS_OF_HELP = f"Give a date as YYYY-MM-DD between {AS_OF_MIN} and {AS_OF_MAX}, e.g. 2025-07-31."


def parse_as_of(raw: str) -> date:
    """An as-of date from text; ValueError (with AS_OF_HELP) when malformed or outside AS_OF_MIN..AS_OF_MAX."""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(AS_OF_HELP) from None
    if not AS_OF_MIN <= day <= AS_OF_MAX:
        raise ValueError(AS_OF_HELP)
    return day


def add_months(day: date, months: int) -> date:
    """Calendar months later (earlier when negative), clamped at month end: 2024-02-29 - 12 months = 2023-02-28.

    Plain arithmetic (the recompute calls it tens of thousands of times; relativedelta is ten times slower)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


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
