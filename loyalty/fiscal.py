"""The vendor's fiscal calendar (RULES 9.2, 9.3). Pure: dates in, dates out; no ORM, no clock.

A fiscal year runs August to July and is named by the calendar year in which it ends
(FY2027 = 2026-08-01 .. 2027-07-31). Quarters: Q1 Aug-Oct, Q2 Nov-Jan, Q3 Feb-Apr, Q4 May-Jul.
Awards are issued in the third month of each quarter: October, January, April, July.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.dates import (
    FISCAL_YEAR_START_MONTH,
    add_months,
    fiscal_year,
    fiscal_year_start,
)

MONTHS_PER_QUARTER = 3


def previous_fiscal_years(year: int, count: int) -> list[int]:
    """The `count` fiscal years before `year`, most recent first: (2027, 3) -> [2026, 2025, 2024]."""
    return [year - n for n in range(1, count + 1)]


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    year: int
    number: int  # 1..4

    @property
    def start(self) -> date:
        return add_months(fiscal_year_start(self.year), (self.number - 1) * MONTHS_PER_QUARTER)

    @property
    def end(self) -> date:
        return add_months(self.start, MONTHS_PER_QUARTER) - timedelta(days=1)

    @property
    def award_month(self) -> int:
        """The quarter's third month (10, 1, 4 or 7)."""
        return add_months(self.start, MONTHS_PER_QUARTER - 1).month

    def next(self) -> FiscalQuarter:
        return FiscalQuarter(self.year + 1, 1) if self.number == 4 else FiscalQuarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return f"FY{self.year} Q{self.number}"


def quarter_of(day: date) -> FiscalQuarter:
    months_in = (day.month - FISCAL_YEAR_START_MONTH) % 12
    return FiscalQuarter(fiscal_year(day), months_in // MONTHS_PER_QUARTER + 1)


def quarter_after(day: date) -> FiscalQuarter:
    """The fiscal quarter after the one `day` falls in (awards start there after the terms are signed)."""
    return quarter_of(day).next()


def is_award_month(day: date) -> bool:
    return day.month == quarter_of(day).award_month


def award_months() -> list[int]:
    return [FiscalQuarter(2000, n).award_month for n in range(1, 5)]
